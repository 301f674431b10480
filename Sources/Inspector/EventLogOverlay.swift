/// The event log (`l`) over the screen, between the top line and the key
/// bar: time, kind and text of every event and message, oldest at the top.
/// Nothing is cut: a long entry wraps under its own text.
enum EventLogOverlay {
    /// One screen row: the start of an entry (time and kind shown) or the rest of its text.
    struct Row: Sendable {
        var entry: Int
        var startsEntry: Bool
        var text: String
    }

    static func box(width: Int, height: Int) -> Rect { Rect(x: 0, y: 1, width: width, height: height - 2) }

    /// Rows of text inside the box.
    static func visibleRows(width: Int, height: Int) -> Int { box(width: width, height: height).interior.height }

    /// Where each entry's text starts: after the time (when the log has
    /// times) and the kind.
    static func textColumn(_ log: [EventLogEntry]) -> Int {
        let timeWidth = log.map(\.time.count).max() ?? 0
        return (timeWidth > 0 ? timeWidth + 1 : 0) + kindWidth + 1
    }

    static func rows(_ log: [EventLogEntry], width: Int) -> [Row] {
        let textWidth = max(1, box(width: width, height: 3).interior.width - textColumn(log))
        return log.enumerated().flatMap { index, entry in
            TerminalText.wrap(entry.text, width: textWidth).enumerated().map {
                Row(entry: index, startsEntry: $0.offset == 0, text: $0.element)
            }
        }
    }

    static func draw(_ log: [EventLogEntry], scroll: TextScroll, into grid: inout CellGrid, context: DrawContext) {
        let box = box(width: grid.width, height: grid.height)
        KeyBar.draw(keyBarItems, into: &grid, y: grid.height - 1, theme: context.theme)
        guard box.width >= 4, box.height >= 3 else { return }
        let inside = box.interior
        let rows = rows(log, width: grid.width)
        let first = scroll.firstLine(total: rows.count, visible: inside.height)
        let shown = rows.dropFirst(first).prefix(inside.height)
        // Entries numbered as users count them: the last one in view, of all.
        let position = shown.last.map { "\($0.entry + 1)/\(log.count)" }
        OverlayFrame.draw(box, title: "Event log", position: position, into: &grid, context: context)
        if log.isEmpty {
            grid.put("nothing has happened yet", x: inside.x, y: inside.y, style: context.theme.muted,
                     maxWidth: inside.width)
            return
        }
        let timeWidth = log.map(\.time.count).max() ?? 0, textX = inside.x + textColumn(log)
        for (offset, row) in shown.enumerated() {
            let y = inside.y + offset, entry = log[row.entry]
            if row.startsEntry {
                var lead = StyledLine()
                if timeWidth > 0 { lead.append(TerminalText.padRight(entry.time, to: timeWidth, unicode: context.unicode) + " ", context.theme.muted) }
                lead.append(TerminalText.padRight(label(entry.kind), to: kindWidth, unicode: context.unicode), kindStyle(entry.kind, context.theme))
                lead.draw(into: &grid, x: inside.x, y: y, width: min(inside.width, textX - inside.x))
            }
            guard textX < inside.maxX else { continue }
            let style = entry.kind == .message || entry.severity != .info ? context.theme.message(entry.severity)
                : context.theme.normal
            grid.put(row.text, x: textX, y: y, style: style, maxWidth: inside.maxX - textX)
        }
    }

    static let keyBarItems: [KeyBarItem] = [
        KeyBarItem(key: "Up/Down", label: "Scroll", event: .down),
        KeyBarItem(key: "PgUp/PgDn", label: "Page", event: .pageDown, dropOrder: 2),
        KeyBarItem(key: "Home/End", label: "First/Last", event: .end, dropOrder: 1),
        KeyBarItem(key: "Esc", label: "Close", event: .escape),
    ]

    private static let kindWidth = 7

    private static func label(_ kind: EventLogEntry.Kind) -> String {
        switch kind {
        case .process: "process"
        case .thread: "thread"
        case .hold: "hold"
        case .signal: "signal"
        case .message: "message"
        }
    }

    private static func kindStyle(_ kind: EventLogEntry.Kind, _ theme: Theme) -> CellStyle {
        switch kind {
        case .hold: theme.held
        case .signal: theme.warning
        case .process, .thread, .message: theme.keyName
        }
    }
}
