/// How far a pane's wide lines are shifted left (Left/Right), as `less -S`
/// does, and how far they can go: the overflow of the widest line, known
/// from the last layout.
struct SideScroll: Sendable {
    /// Columns per Left/Right press.
    static let step = 8

    private(set) var offset = 0
    /// Columns the widest line reaches past the pane.
    var overflow = 0 {
        didSet { offset = max(0, min(offset, overflow)) }
    }

    /// Left/Right; false for any other key.
    mutating func handle(_ key: KeyEvent) -> Bool {
        switch key {
        case .left: offset = max(0, offset - Self.step)
        case .right: offset = min(overflow, offset + Self.step)
        default: return false
        }
        return true
    }

    mutating func reset() { offset = 0 }

    /// A table cell's text seen `offset` columns in, never past its end for
    /// a cell `width` wide (a text that fits stays), with `«` where its start is hidden.
    func shifted(_ text: String, width: Int, unicode: Bool) -> String {
        let shift = min(offset, max(0, text.count - width))
        guard shift > 0, text.count > 1 else { return text }
        return (unicode ? "«" : "<") + text.dropFirst(min(text.count - 1, shift + 1))
    }

    /// For the pane's title: which way there is more to see.
    func marks(unicode: Bool) -> String {
        let left = offset > 0 ? (unicode ? "«" : "<") : ""
        let right = offset < overflow ? (unicode ? "»" : ">") : ""
        return left + right
    }
}

extension StyledLine {
    /// Columns `start..<start + width` of the line, each cell in its own
    /// style. A cut on the left shows as `«` in the first cell; a cut on the
    /// right is marked as `TerminalText` marks every cut.
    func window(start: Int, width: Int, unicode: Bool) -> StyledLine {
        guard width > 0 else { return StyledLine() }
        var cells: [(Character, CellStyle)] = []
        for span in spans { for character in span.text { cells.append((character, span.style)) } }
        let start = max(0, min(start, cells.count))
        var visible = Array(cells[start...])
        let text = String(visible.map(\.0))
        let cut = TerminalText.truncate(text, to: width, unicode: unicode)
        if cut != text {
            visible = Array(visible.prefix(cut.count))
            if let mark = cut.last, !visible.isEmpty { visible[visible.count - 1].0 = mark }
        }
        if start > 0, !visible.isEmpty { visible[0].0 = unicode ? "«" : "<" }
        var line = StyledLine(fill: fill)
        for (character, style) in visible {
            if let last = line.spans.last, last.style == style {
                line.spans[line.spans.count - 1].text.append(character)
            } else {
                line.append(String(character), style)
            }
        }
        return line
    }
}
