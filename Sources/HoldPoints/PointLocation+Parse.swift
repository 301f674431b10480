extension PointLocation {
    /// Reads a location as gdb's linespecs spell it: `*0xADDRESS`,
    /// `FILE:LINE`, `MODULE:FUNCTION` or `FUNCTION`.
    ///
    /// Only a single colon outside parentheses and angle brackets separates:
    /// C++ names are full of `::`, and a parameter list may hold anything.
    /// Digits after the last such colon make a line (`main.c:42`); any
    /// other text a function in a module (`libc.so.6:read`).
    public static func parse(_ text: String) throws(PointLocationError) -> PointLocation {
        let trimmed = text.trimmingWhitespace
        guard !trimmed.isEmpty else { throw .empty }
        if trimmed.hasPrefix("*") { return .address(try parseAddress(trimmed)) }
        guard let colon = lastSeparatingColon(in: trimmed) else {
            if trimmed.allSatisfy(\.isASCIIDigit) { throw .missingPart(trimmed) }
            return .function(name: trimmed, module: nil)
        }
        let before = String(trimmed[..<colon]).trimmingWhitespace
        let after = String(trimmed[trimmed.index(after: colon)...]).trimmingWhitespace
        guard !before.isEmpty, !after.isEmpty else { throw .missingPart(trimmed) }
        if after.allSatisfy(\.isASCIIDigit) {
            guard let line = Int(after), line > 0 else { throw .malformedLine(trimmed) }
            return .line(file: before, line: line)
        }
        return .function(name: after, module: before)
    }

    private static func parseAddress(_ text: String) throws(PointLocationError) -> UInt64 {
        var digits = text.dropFirst().drop { $0 == " " }
        guard digits.hasPrefix("0x") || digits.hasPrefix("0X") else { throw .malformedAddress(text) }
        digits = digits.dropFirst(2)
        guard !digits.isEmpty, digits.count <= 16, let address = UInt64(digits, radix: 16) else {
            throw .malformedAddress(text)
        }
        return address
    }

    /// The last `:` that is neither half of a `::` nor inside `(…)` or `<…>`.
    static func lastSeparatingColon(in text: String) -> String.Index? {
        var depth = 0
        var found: String.Index?
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            switch character {
            case "(", "<", "[", "{": depth += 1
            case ")", ">", "]", "}": depth = max(0, depth - 1)
            case ":":
                let next = text.index(after: index)
                if next < text.endIndex, text[next] == ":" {
                    index = text.index(after: next)  // a `::`: step over both halves
                    continue
                }
                if depth == 0 { found = index }
            default: break
            }
            index = text.index(after: index)
        }
        return found
    }
}

extension String {
    var trimmingWhitespace: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        return String(drop(while: isSpace).reversed().drop(while: isSpace).reversed())
    }
}

extension Character {
    var isASCIIDigit: Bool { ("0" ... "9").contains(self) }
}
