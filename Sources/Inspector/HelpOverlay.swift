/// The key list over the screen (`?` or F1). It scrolls when it does not fit
/// (80x24 has fewer rows than the main screen has keys): the scroll keys
/// move it, the bottom edge says which lines show, and any other key closes it.
enum HelpOverlay {
    typealias Line = (keys: String, meaning: String)

    static let pickerKeys: [Line] = [
        ("Up Down j k", "move"),
        ("PgUp PgDn", "move a page"),
        ("Home End", "first / last process"),
        ("Enter", "attach to the selected process and show it"),
        ("a", "add it to the session: the process shown stays shown"),
        ("/", "filter by pid, user or command"),
        ("Esc", "clear the filter; else back to the session (opened with a)"),
        ("t", "tree view on/off"),
        ("s > F6 <", "sort by the next / previous column"),
        ("P M N", "sort by CPU%, RSS, PID (again: invert)"),
        ("I", "invert the sort order"),
        ("l", "the event log: messages so far"),
        ("? F1", "this help"),
        ("q F10", "quit"),
        ("Mouse", "click selects, wheel scrolls, a title sorts"),
        ("Dimmed", "cannot be attached; Enter says why"),
        ("!", "think twice (PID 1, lwpscope's own parents): Enter asks again"),
    ]

    /// The box at this size and how many key lines it shows: the last inside
    /// row is the footer, with a gap above it when there is room.
    static func viewport(_ keys: [Line], width: Int, height: Int) -> (box: Rect, visible: Int) {
        let contentWidth = max(lines(keys).map(\.count).max() ?? 0, footer(more: true, scrolled: true).count)
        let boxWidth = min(width, contentWidth + 4), boxHeight = min(height, keys.count + 4)
        let box = Rect(x: (width - boxWidth) / 2, y: (height - boxHeight) / 2, width: boxWidth, height: boxHeight)
        let inside = box.height - 2
        return (box, inside >= 3 ? inside - 2 : max(0, inside))
    }

    static func draw(_ keys: [Line], scroll: TextScroll, into grid: inout CellGrid, context: DrawContext) {
        let (box, visible) = viewport(keys, width: grid.width, height: grid.height)
        guard box.width >= 4, box.height >= 3 else { return }
        let first = scroll.firstLine(total: keys.count, visible: visible)
        let fits = visible >= keys.count
        OverlayFrame.draw(box, title: "Help",
                          position: fits ? nil : OverlayFrame.position(first: first, visible: visible, total: keys.count),
                          into: &grid, context: context)
        let inside = Rect(x: box.x + 2, y: box.y + 1, width: box.width - 4, height: box.height - 2)
        let keyWidth = keys.map(\.keys.count).max() ?? 0
        for (offset, line) in lines(keys).dropFirst(first).prefix(visible).enumerated() {
            let split = min(line.count, keyWidth)
            let shown = TerminalText.truncate(line, to: inside.width, unicode: context.unicode)
            grid.put(String(shown.prefix(split)), x: inside.x, y: inside.y + offset, style: context.theme.keyName,
                     maxWidth: inside.width)
            grid.put(String(shown.dropFirst(split)), x: inside.x + split, y: inside.y + offset,
                     maxWidth: inside.width - split)
        }
        guard inside.height >= 3 else { return }
        let text = footer(more: first + visible < keys.count, scrolled: first > 0 && !fits)
        grid.put(TerminalText.truncate(text, to: inside.width, unicode: context.unicode), x: inside.x,
                 y: inside.maxY - 1, style: context.theme.muted, maxWidth: inside.width)
    }

    private static func lines(_ keys: [Line]) -> [String] {
        let keyWidth = keys.map(\.keys.count).max() ?? 0
        return keys.map { TerminalText.padRight($0.keys, to: keyWidth) + "  " + $0.meaning }
    }

    /// Says there is more, and which keys reach it, before how to close.
    private static func footer(more: Bool, scrolled: Bool) -> String {
        switch (more, scrolled) {
        case (true, true): "more: Up Down PgUp PgDn Home End   Esc closes"
        case (true, false): "more below: Down PgDn End   Esc closes"
        case (false, true): "the end; back: Up PgUp Home   Esc closes"
        case (false, false): "Esc closes"
        }
    }
}
