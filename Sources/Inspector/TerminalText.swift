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
        default: return "?"
        }
    }

    /// `text` cut to `width` columns; a cut shows as a trailing '~' so a
    /// truncated name is never mistaken for a whole one.
    static func truncate(_ text: String, to width: Int) -> String {
        guard width > 0 else { return "" }
        guard text.count > width else { return text }
        return String(text.prefix(width - 1)) + "~"
    }

    static func padRight(_ text: String, to width: Int) -> String {
        let cut = truncate(text, to: width)
        return cut + String(repeating: " ", count: max(0, width - cut.count))
    }

    static func padLeft(_ text: String, to width: Int) -> String {
        let cut = truncate(text, to: width)
        return String(repeating: " ", count: max(0, width - cut.count)) + cut
    }
}
