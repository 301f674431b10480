/// C++ function names as gdb prints them in a frame: gdb demangles a DWARF
/// linkage name without its return type (DMGL_RET_DROP), then takes the
/// parameter list off (cp_remove_params) when its C++ name parser can read
/// the name; a name it cannot read (a lambda, an unnamed type) keeps it.
public enum GDBCxxName {
    /// Pieces gdb's name parser does not know: names holding them keep their
    /// parameter lists, as gdb prints them.
    static let unparseableMarkers = ["{lambda", "<lambda", "{unnamed", "<unnamed", "{default arg", "{parm#"]

    /// The frame name gdb prints for a function whose DWARF linkage name is
    /// `mangled`; nil when it does not demangle as C++.
    public static func frameName(linkage mangled: String) -> String? {
        // Through Demangler's cache: many threads show the same few functions.
        guard mangled.hasPrefix("_Z"), Demangler.language(of: mangled) == .cxx else { return nil }
        let demangled = Demangler.demangle(mangled)
        return demangled == mangled ? nil : frameName(demangled: demangled)
    }

    /// `void ns::f<int>(int) const` → `ns::f<int>`; parameters stay when
    /// gdb could not parse the name (see `canParse`).
    public static func frameName(demangled: String) -> String {
        guard let split = splitParameters(demangled) else { return droppingReturnType(Substring(demangled)) }
        let name = droppingReturnType(split.name)
        return canParse(name) ? name : name + split.parameters
    }

    /// gcc's spellings of integer types in DW_AT_name, and gdb's canonical
    /// ones (cp_canonicalize_string), longest first.
    static let canonicalIntegers: [(gcc: String, gdb: String)] = [
        ("long long unsigned int", "unsigned long long"), ("long long int", "long long"),
        ("long unsigned int", "unsigned long"), ("short unsigned int", "unsigned short"),
        ("long int", "long"), ("short int", "short"), ("__int128 unsigned", "unsigned __int128"),
    ]

    /// A DW_AT_name as gdb keeps it (dwarf2_name canonicalizes every C++
    /// name it can parse): `long unsigned int` → `unsigned long`, in
    /// template arguments too. A name gdb cannot parse stays as written.
    public static func canonicalized(_ name: String) -> String {
        guard canParse(name), name.contains(" int") || name.contains("__int128") else { return name }
        var result = name
        for (gcc, gdb) in canonicalIntegers { result = replacingWords(gcc, with: gdb, in: result) }
        return result
    }

    /// Replaces `words` where they stand as whole words.
    static func replacingWords(_ words: String, with replacement: String, in text: String) -> String {
        func isWordCharacter(_ c: Character?) -> Bool { c.map { $0.isLetter || $0.isNumber || $0 == "_" } ?? false }
        var result = ""
        var index = text.startIndex
        while index < text.endIndex {
            if text[index...].hasPrefix(words) {
                let end = text.index(index, offsetBy: words.count)
                let before = index == text.startIndex ? nil : text[text.index(before: index)]
                let after = end == text.endIndex ? nil : text[end]
                if !isWordCharacter(before), !isWordCharacter(after) {
                    result += replacement
                    index = end
                    continue
                }
            }
            result.append(text[index])
            index = text.index(after: index)
        }
        return result
    }

    /// gdb's cp_remove_params fails on names its grammar lacks.
    public static func canParse(_ name: String) -> Bool {
        !unparseableMarkers.contains { name.contains($0) }
    }

    /// `f(int) const` → (`f`, `(int) const`): the last balanced parenthesised
    /// group, before trailing qualifiers. Nil when the name has none, or the
    /// parentheses are the name (`operator()` alone).
    static func splitParameters(_ text: String) -> (name: Substring, parameters: Substring)? {
        var end = Substring(text)
        let qualifiers = [" const", " volatile", " &&", " &", " noexcept"]
        while let qualifier = qualifiers.first(where: { end.hasSuffix($0) }) { end = end.dropLast(qualifier.count) }
        guard end.last == ")" else { return nil }
        var depth = 0
        var index = end.endIndex
        while index > end.startIndex {
            index = end.index(before: index)
            if end[index] == ")" { depth += 1 }
            if end[index] == "(" {
                depth -= 1
                guard depth == 0 else { continue }
                let before = end[..<index]
                if before.isEmpty || before.hasSuffix("operator") { return nil }
                return (before, Substring(text)[index...])
            }
        }
        return nil
    }

    /// Template functions demangle with their return type in front
    /// (`void std::__invoke_impl<...>`): it ends at the last space outside
    /// any brackets before the function's own name (and before an
    /// `operator`, whose name may hold spaces: `operator new`).
    static func droppingReturnType(_ name: Substring) -> String {
        var depth = 0
        var lastSpace: String.Index?
        var index = name.startIndex
        while index < name.endIndex {
            let character = name[index]
            if depth == 0, name[index...].hasPrefix("operator"),
               index == name.startIndex || name[name.index(before: index)] == ":" || name[name.index(before: index)] == " " {
                break
            }
            switch character {
            case "<", "(", "[", "{": depth += 1
            case ">", ")", "]", "}": depth = max(0, depth - 1)
            case " " where depth == 0: lastSpace = index
            default: break
            }
            index = name.index(after: index)
        }
        guard let lastSpace else { return String(name) }
        return String(name[name.index(after: lastSpace)...])
    }
}
