/// The text typed after `/`. While typing, printable keys are text (so `q`
/// does not quit); Enter keeps the filter and stops typing, Esc clears it.
struct FilterField: Sendable {
    private(set) var text = ""
    private(set) var typing = false

    var isActive: Bool { !text.isEmpty }

    mutating func start() { typing = true }

    mutating func clear() {
        text = ""
        typing = false
    }

    /// Returns true when the key was taken as filter input.
    mutating func handle(_ key: KeyEvent) -> Bool {
        guard typing else { return false }
        switch key {
        case .character(let character) where !character.isNewline:
            text.append(TerminalText.singleColumn(character))
        case .backspace:
            if !text.isEmpty { text.removeLast() }
        case .enter:
            typing = false
        case .escape:
            clear()
        default:
            return false
        }
        return true
    }

    /// Case-insensitive substring match against any of `fields`.
    func matches(_ fields: String...) -> Bool {
        guard isActive else { return true }
        let needle = text.lowercased()
        return fields.contains { $0.lowercased().contains(needle) }
    }
}
