/// The frame detail (Enter in pane 3) over the screen: arguments and locals
/// when known, kept at the top, then the source with the frame's line
/// marked, opened with that line in the middle of the rows left.
enum FrameOverlay {
    struct Row: Sendable {
        var text: String
        var kind: Kind
        enum Kind: Sendable { case heading, value, source, marked, note }
    }

    static func box(width: Int, height: Int) -> Rect { Rect(x: 0, y: 1, width: width, height: height - 2) }

    /// The arguments and locals, kept at the top of the box.
    static func valueRows(_ detail: FrameDetail, unicode: Bool) -> [Row] {
        var rows: [Row] = []
        func values(_ heading: String, _ list: [FrameDetail.Value]) {
            guard !list.isEmpty else { return }
            rows.append(Row(text: heading, kind: .heading))
            let width = list.map(\.name.count).max() ?? 0
            rows += list.map { Row(text: "  " + TerminalText.padRight($0.name, to: width, unicode: unicode) + " = " + $0.value, kind: .value) }
        }
        values("Arguments", detail.arguments)
        values("Locals", detail.locals)
        return rows
    }

    /// The source (or why there is none): what the scroll keys move.
    static func rows(_ detail: FrameDetail, unicode: Bool) -> [Row] {
        var rows: [Row] = []
        switch detail.source {
        case .lines(let lines, let line, let path):
            rows.append(Row(text: path, kind: .heading))
            let digits = String(lines.count).count
            let mark = unicode ? "▶" : ">"
            for (index, text) in lines.enumerated() {
                let number = String(index + 1)
                let lead = (index + 1 == line ? mark : " ") + String(repeating: " ", count: digits - number.count) + number + "  "
                rows.append(Row(text: lead + expandingTabs(text), kind: index + 1 == line ? .marked : .source))
            }
            if line > lines.count {
                rows.append(Row(text: "line \(line) is past the end of this file (\(lines.count) lines): is it the file that was built?", kind: .note))
            }
        case .missing(let why):
            rows.append(Row(text: why, kind: .note))
        }
        return rows
    }

    /// The values' part of the box: all of them, up to half of it (then a
    /// last row says how many more), and a blank row under them.
    static func pinned(_ detail: FrameDetail, interiorHeight: Int, unicode: Bool) -> [Row] {
        let values = valueRows(detail, unicode: unicode)
        guard !values.isEmpty else { return [] }
        let room = max(1, interiorHeight / 2 - 1)
        if values.count <= room { return values + [Row(text: "", kind: .source)] }
        let more = values.count - (room - 1)
        return Array(values.prefix(room - 1)) + [Row(text: "  … and \(more) more", kind: .note), Row(text: "", kind: .source)]
    }

    /// Source rows in view under the pinned values.
    static func visibleRows(_ detail: FrameDetail, width: Int, height: Int, unicode: Bool) -> Int {
        let inside = box(width: width, height: height).interior.height
        return max(1, inside - pinned(detail, interiorHeight: inside, unicode: unicode).count)
    }

    /// Where the source opens: the marked line in the middle.
    static func initialTop(_ detail: FrameDetail, width: Int, height: Int, unicode: Bool) -> Int {
        let all = rows(detail, unicode: unicode)
        guard let marked = all.firstIndex(where: { $0.kind == .marked }) else { return 0 }
        return max(0, marked - visibleRows(detail, width: width, height: height, unicode: unicode) / 2)
    }

    static func draw(_ detail: FrameDetail, scroll: TextScroll, into grid: inout CellGrid, context: DrawContext) {
        let box = box(width: grid.width, height: grid.height)
        KeyBar.draw(keyBarItems, into: &grid, y: grid.height - 1, theme: context.theme)
        guard box.width >= 4, box.height >= 3 else { return }
        let inside = box.interior
        let top = pinned(detail, interiorHeight: inside.height, unicode: context.unicode)
        let rows = rows(detail, unicode: context.unicode)
        let visible = max(1, inside.height - top.count)
        let first = scroll.firstLine(total: rows.count, visible: visible)
        let position = OverlayFrame.position(first: first, visible: visible, total: rows.count)
        OverlayFrame.draw(box, title: detail.title, position: position, into: &grid, context: context)
        let theme = context.theme
        let shown = (top + rows.dropFirst(first)).prefix(inside.height)
        for (offset, row) in shown.enumerated() {
            let style: CellStyle = switch row.kind {
            case .heading: theme.title
            case .value, .source: theme.normal
            case .marked: theme.selected
            case .note: theme.warning
            }
            let y = inside.y + offset
            if row.kind == .marked { grid.fill(Rect(x: inside.x, y: y, width: inside.width, height: 1), with: Cell(style: style)) }
            grid.put(row.text, x: inside.x, y: y, style: style, maxWidth: inside.width)
        }
    }

    static let keyBarItems: [KeyBarItem] = [
        KeyBarItem(key: "Up/Down", label: "Scroll", event: .down),
        KeyBarItem(key: "PgUp/PgDn", label: "Page", event: .pageDown, dropOrder: 2),
        KeyBarItem(key: "Esc", label: "Close", event: .escape),
    ]

    /// Tabs to the next multiple of eight, as an editor shows them.
    static func expandingTabs(_ text: String) -> String {
        guard text.contains("\t") else { return text }
        var out = "", column = 0
        for character in text {
            if character == "\t" {
                let spaces = 8 - column % 8
                out += String(repeating: " ", count: spaces)
                column += spaces
            } else {
                out.append(character)
                column += 1
            }
        }
        return out
    }
}
