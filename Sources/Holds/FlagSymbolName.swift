/// How compilers name a `hold` variable in the symbol table, and what the
/// name says about where it was declared.
///
/// Recognized: `hold`, `hold.N` (gcc: a function-static, function unnamed),
/// `FUNCTION.hold` and `FUNCTION.hold.N` (clang: a function-static).
struct FlagSymbolName: Equatable {
    /// The source-level variable name.
    var variableName: String
    /// The owning function when the name spells it (clang).
    var owner: String?
    /// True when the name alone says the variable is a function-static.
    var isFunctionStatic: Bool

    static let defaultVariable = "hold"

    /// Parses an automatically recognized flag name; nil for anything else.
    static func recognize(_ name: String) -> FlagSymbolName? {
        parse(name, variable: defaultVariable)
    }

    /// Parses `name` as a symbol for the variable `variable`:
    /// `variable`, `variable.N`, `IDENT.variable`, `IDENT.variable.N`.
    static func parse(_ name: String, variable: String) -> FlagSymbolName? {
        var parts = name.split(separator: ".", omittingEmptySubsequences: false)
        // A trailing `.N` is gcc's (or clang's) uniquing counter.
        var numbered = false
        if parts.count > 1, let last = parts.last, isDigits(last) {
            parts.removeLast()
            numbered = true
        }
        switch parts.count {
        case 1 where parts[0] == variable:
            return FlagSymbolName(variableName: variable, owner: nil, isFunctionStatic: numbered)
        case 2 where parts[1] == variable && isIdentifier(parts[0]):
            return FlagSymbolName(variableName: variable, owner: String(parts[0]), isFunctionStatic: true)
        default:
            return nil
        }
    }

    /// What a user-named symbol says about itself: clang's and gcc's
    /// function-static spellings of any variable, or a plain name.
    static func describe(_ name: String) -> FlagSymbolName {
        var parts = name.split(separator: ".", omittingEmptySubsequences: false)
        var numbered = false
        if parts.count > 1, let last = parts.last, isDigits(last) {
            parts.removeLast()
            numbered = true
        }
        if parts.count == 2, isIdentifier(parts[0]), isIdentifier(parts[1]) {
            return FlagSymbolName(variableName: String(parts[1]), owner: String(parts[0]), isFunctionStatic: true)
        }
        if parts.count == 1, isIdentifier(parts[0]) {
            return FlagSymbolName(variableName: String(parts[0]), owner: nil, isFunctionStatic: numbered)
        }
        return FlagSymbolName(variableName: name, owner: nil, isFunctionStatic: false)
    }

    /// A cheap test on raw name bytes, before decoding: the name ends with
    /// `hold` or `hold.DIGITS`. `recognize` has the last word.
    static func mightBeFlag(_ name: UnsafeRawBufferPointer) -> Bool {
        var end = name.count
        while end > 0, isDigit(name[end - 1]) { end -= 1 }
        if end < name.count {
            guard end > 0, name[end - 1] == UInt8(ascii: ".") else { return false }
            end -= 1
        }
        let suffix = "hold".utf8
        guard end >= suffix.count else { return false }
        return zip(name[(end - suffix.count) ..< end], suffix).allSatisfy { $0 == $1 }
    }

    static func isDigits(_ text: Substring) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    /// A C identifier: [A-Za-z_][A-Za-z0-9_]*.
    static func isIdentifier(_ text: Substring) -> Bool {
        guard let first = text.utf8.first, !isDigit(first) else { return false }
        return text.utf8.allSatisfy { isDigit($0) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7a) || $0 == 0x5f }
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
}
