/// Text fitted to terminal columns. Each Character must take one column;
/// wide and combining characters are out of scope and become '?', and control
/// characters (a comm may hold anything) would move the cursor, so they do too.
enum TerminalText {
    static func singleColumn(_ character: Character) -> Character {
        guard character.unicodeScalars.count == 1, let scalar = character.unicodeScalars.first else { return "?" }
        switch scalar.value {
        case 0x20..<0x7F: return character
        case 0xA0..<0x300, 0x370..<0x1100: return character
        // General punctuation through box drawing and geometric shapes: single width.
        case 0x2010..<0x2028, 0x2030..<0x2060, 0x2190..<0x2200, 0x2500..<0x25A0: return character
        // The sort markers ▲△▼▽ (and the small ones between them).
        case 0x25B2...0x25BD: return character
        default: return "?"
        }
    }

    /// What ends a cut text: an ellipsis, or '~' where only ASCII may be drawn.
    static func cutMark(unicode: Bool) -> Character { unicode ? "…" : "~" }

    /// `text` cut to `width` columns; a cut shows as a trailing mark so a
    /// truncated name is never mistaken for a whole one.
    static func truncate(_ text: String, to width: Int, unicode: Bool = true) -> String {
        guard width > 0 else { return "" }
        guard text.count > width else { return text }
        return String(text.prefix(width - 1)) + String(cutMark(unicode: unicode))
    }

    static func padRight(_ text: String, to width: Int, unicode: Bool = true) -> String {
        let cut = truncate(text, to: width, unicode: unicode)
        return cut + String(repeating: " ", count: max(0, width - cut.count))
    }

    static func padLeft(_ text: String, to width: Int, unicode: Bool = true) -> String {
        let cut = truncate(text, to: width, unicode: unicode)
        return String(repeating: " ", count: max(0, width - cut.count)) + cut
    }

    /// `text` in lines of at most `width` columns, broken after spaces; a word
    /// longer than a line is split where the line ends. Nothing is dropped
    /// but the spaces a break replaces.
    static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = []
        var rest = Substring(text)
        while rest.count > width {
            let window = rest.prefix(width + 1)
            if let space = window.lastIndex(of: " "), space > rest.startIndex {
                lines.append(String(rest[..<space]))
                rest = rest[rest.index(after: space)...]
            } else {
                lines.append(String(rest.prefix(width)))
                rest = rest.dropFirst(width)
            }
        }
        if !rest.isEmpty || lines.isEmpty { lines.append(String(rest)) }
        return lines
    }
}
