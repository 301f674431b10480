import Demangle

/// FUNCTION as the user wrote it, and the rule for which symbols it names.
///
/// As gdb: the raw (mangled) name, or the demangled name, or its tail after
/// `::` (`run` names `app::Worker<long>::run`). Without a parameter list the
/// parameters are not compared, so an overload set matches as a whole; with
/// one they are, spaces aside (`f(int, char)` is `f(int,char)`). Without
/// template arguments in its last piece, instantiations match as a whole
/// too. Compiler clones (`f(int) [clone .cold]`, `f.part.0`) are other code.
///
/// A whole name beats a tail: `read` is libc's `read`, not also
/// `std::istream::read` (gdb would take both; a hold point wants one).
struct FunctionQuery {
    /// How a symbol matched; the resolver keeps only the best kind found.
    enum Match: Comparable {
        /// Only the part after a `::`.
        case tail
        /// The raw name, or the whole demangled name (after a return type).
        case whole
    }

    let text: String
    private let hasParameters: Bool
    private let hasTemplateArguments: Bool
    private let compared: String
    /// The last identifier of the name: every symbol it can match holds it
    /// verbatim, mangled or not, so tables are scanned for it cheaply.
    let keyword: [UInt8]

    init(_ text: String) {
        self.text = text
        hasParameters = text.hasSuffix(")") && Self.parameterListStart(text) != nil
        let name = hasParameters ? String(text[..<Self.parameterListStart(text)!]) : text
        hasTemplateArguments = Self.lastPiece(of: name).contains("<")
        compared = Self.tightened(text)
        keyword = Array(Self.lastIdentifier(in: name).utf8)
    }

    /// How the symbol with raw name `raw`, shown as `shown`, is this function; nil when it is not.
    func match(raw: String, shown: String) -> Match? {
        if raw == text || LinkerDecoration.strippingVersion(raw) == text { return .whole }
        guard !shown.contains(" [clone ") || text.contains("[clone") else { return nil }
        var candidate = shown
        if !hasParameters, let start = Self.parameterListStart(Self.withoutQualifiers(candidate)) {
            candidate = String(candidate[..<start])
        }
        if !hasTemplateArguments, candidate.hasSuffix(">"), let start = Self.matchingOpen(candidate, "<", ">") {
            candidate = String(candidate[..<start])
        }
        let tight = Self.tightened(candidate)
        guard tight.hasSuffix(compared) else { return nil }
        let before = tight.dropLast(compared.count)
        // The whole name, also after a return type (`long ns::f<char>(int)`), or a tail after `::`.
        if before.isEmpty || before.hasSuffix(" ") { return .whole }
        return before.hasSuffix("::") ? .tail : nil
    }

    /// Without spaces next to punctuation: `f(int, char *)` as `f(int,char*)`.
    static func tightened(_ text: String) -> String {
        let characters = Array(text)
        var out = ""
        for (index, character) in characters.enumerated() {
            if character == " " {
                let previous = index > 0 ? characters[index - 1] : " "
                let next = index + 1 < characters.count ? characters[index + 1] : " "
                if !(isIdentifier(previous) && isIdentifier(next)) { continue }
            }
            out.append(character)
        }
        return out
    }

    /// `(` opening the last parenthesized group, when the text ends with one:
    /// `(anonymous namespace)::f(int)` cuts before `(int)`.
    static func parameterListStart(_ text: String) -> String.Index? {
        guard text.hasSuffix(")") else { return nil }
        return matchingOpen(text, "(", ")")
    }

    /// The opening bracket of the group that closes at the text's last character.
    static func matchingOpen(_ text: String, _ open: Character, _ close: Character) -> String.Index? {
        var depth = 0
        var index = text.endIndex
        while index > text.startIndex {
            index = text.index(before: index)
            if text[index] == close { depth += 1 }
            if text[index] == open {
                depth -= 1
                if depth == 0 { return index }
            }
        }
        return nil
    }

    /// A demangled method without its trailing ` const`, `&` and the like.
    static func withoutQualifiers(_ shown: String) -> String {
        var text = shown
        for qualifier in [" const", " volatile", " &&", " &", " noexcept"] {
            while text.hasSuffix(qualifier) { text.removeLast(qualifier.count) }
        }
        return text
    }

    private static func lastPiece(of name: String) -> Substring {
        var depth = 0
        var index = name.endIndex
        while index > name.startIndex {
            let previous = name.index(before: index)
            let character = name[previous]
            if character == ">" || character == ")" { depth += 1 }
            if character == "<" || character == "(" { depth -= 1 }
            if depth == 0, character == ":", previous > name.startIndex, name[name.index(before: previous)] == ":" {
                return name[index...]
            }
            index = previous
        }
        return name[...]
    }

    private static func lastIdentifier(in name: String) -> String {
        // Template arguments are not part of the identifier a mangled name spells out.
        var piece = String(lastPiece(of: name))
        if let open = piece.firstIndex(of: "<") { piece = String(piece[..<open]) }
        let identifier = piece.reversed().drop { !isIdentifier($0) }.prefix(while: isIdentifier)
        let word = String(identifier.reversed())
        // Operators are mangled to codes (`operator()` as `cl`): no keyword then.
        return word == "operator" ? "" : word
    }

    static func isIdentifier(_ character: Character) -> Bool {
        character == "_" || character == "$" || character.isLetter || character.isNumber
    }
}

extension UnsafeRawBufferPointer {
    /// Whether `needle` occurs in these bytes, ASCII letters in any case when `anyCase`.
    func contains(_ needle: [UInt8], anyCase: Bool) -> Bool {
        guard !needle.isEmpty else { return true }
        guard count >= needle.count else { return false }
        @inline(__always) func folded(_ byte: UInt8) -> UInt8 {
            anyCase && byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
        }
        let first = folded(needle[0])
        for start in 0 ... (count - needle.count) where folded(self[start]) == first {
            var offset = 1
            while offset < needle.count, folded(self[start + offset]) == folded(needle[offset]) { offset += 1 }
            if offset == needle.count { return true }
        }
        return false
    }
}
