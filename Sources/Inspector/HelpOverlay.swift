/// The key list over the screen (`?` or F1); any key closes it.
enum HelpOverlay {
    static let mainKeys: [(keys: String, meaning: String)] = [
        ("1 2 3 4", "focus processes, threads, backtrace, hold flags"),
        ("Tab S-Tab", "next / previous pane"),
        ("Up Down j k", "move in the focused pane"),
        ("PgUp PgDn", "a page up / down; Home End: first / last"),
        ("Enter", "show the selected traced process (pane 1)"),
        ("Space", "set or clear the selected hold flag (pane 4)"),
        ("r", "release the selected thread from its hold"),
        ("n", "hold new threads and children at birth, on/off"),
        ("p", "pause / resume refreshing"),
        ("+ -", "refresh less / more often (0.25s to 10s)"),
        ("/", "filter threads by name or function"),
        ("s < > F6", "sort threads by the next / previous column"),
        ("I", "invert the sort order"),
        ("c", "group threads with identical stacks, on/off"),
        ("g", "hand the process over to gdb"),
        ("d", "detach, leaving the process running"),
        ("Esc", "clear the thread filter"),
        ("? F1", "this help"),
        ("q F10", "quit"),
        ("Mouse", "click focuses and selects, wheel scrolls"),
        ("Marks", "* shown  T traced  B held at birth"),
    ]

    static let pickerKeys: [(keys: String, meaning: String)] = [
        ("Up Down j k", "move"),
        ("PgUp PgDn", "move a page"),
        ("Home End", "first / last process"),
        ("Enter", "attach to the selected process"),
        ("/", "filter by pid, user or command"),
        ("Esc", "clear the filter"),
        ("t", "tree view on/off"),
        ("< > F6", "sort by the previous / next column"),
        ("P M N", "sort by CPU%, RSS, PID (again: invert)"),
        ("I", "invert the sort order"),
        ("? F1", "this help"),
        ("q F10", "quit"),
        ("Mouse", "click selects, wheel scrolls"),
        ("Dimmed", "cannot be attached; Enter says why"),
    ]

    static func draw(_ keys: [(keys: String, meaning: String)], into grid: inout CellGrid, context: DrawContext) {
        let keyWidth = keys.map(\.keys.count).max() ?? 0
        let lines = keys.map { TerminalText.padRight($0.keys, to: keyWidth) + "  " + $0.meaning }
        let footer = "any key closes"
        let contentWidth = max(lines.map(\.count).max() ?? 0, footer.count)
        let width = min(grid.width, contentWidth + 4)
        let height = min(grid.height, lines.count + 4)
        let box = Rect(x: (grid.width - width) / 2, y: (grid.height - height) / 2, width: width, height: height)
        guard box.width >= 4, box.height >= 3 else { return }
        grid.fill(box)
        var canvas = BoxCanvas(width: grid.width, height: grid.height)
        canvas.addBox(box)
        canvas.draw(into: &grid, unicode: context.unicode, style: context.theme.border)
        grid.put(" Help ", x: box.x + 1, y: box.y, style: context.theme.focusTitle, maxWidth: box.width - 2)
        let inside = Rect(x: box.x + 2, y: box.y + 1, width: box.width - 4, height: box.height - 2)
        // The footer takes the last inside row when there is room for a gap above it.
        let room = inside.height >= 3 ? inside.height - 2 : inside.height
        for (offset, line) in lines.prefix(room).enumerated() {
            let split = min(line.count, keyWidth)
            grid.put(String(line.prefix(split)), x: inside.x, y: inside.y + offset, style: context.theme.keyName,
                     maxWidth: inside.width)
            grid.put(String(line.dropFirst(split)), x: inside.x + split, y: inside.y + offset,
                     maxWidth: inside.width - split)
        }
        if inside.height >= 3 {
            grid.put(footer, x: inside.x, y: inside.maxY - 1, style: context.theme.muted, maxWidth: inside.width)
        }
    }
}
