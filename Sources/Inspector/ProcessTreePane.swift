/// Pane 1: the attached process with its parent chain and children, in the
/// controller's order. Marks: `*` the one shown, `T` traced, `B` held at birth.
struct ProcessTreePane: Sendable {
    /// A row with its branch drawing, worked out once per update.
    struct Line: Identifiable, Sendable {
        var row: ProcessTreeRow
        var prefix: String
        var id: Int32 { row.pid }
    }

    private(set) var list = ListPane<Line>()
    private var rows: [ProcessTreeRow] = []
    private var unicode = true

    var selectedProcess: ProcessTreeRow? { list.selectedRow?.row }

    mutating func setRows(_ newRows: [ProcessTreeRow], unicode: Bool) {
        let firstTime = list.rows.isEmpty
        rows = newRows
        self.unicode = unicode
        let prefixes = TreePrefix.compute(depths: newRows.map(\.depth), unicode: unicode)
        list.setRows(zip(newRows, prefixes).map { Line(row: $0, prefix: $1) })
        // Start on the process being shown, not on the oldest ancestor.
        if firstTime, let current = newRows.first(where: \.isCurrent) { list.select(id: current.pid) }
    }

    mutating func handleMovement(_ key: KeyEvent) -> Bool { list.handleMovement(key) }
    mutating func scroll(by delta: Int) { list.scroll(by: delta) }
    mutating func select(index: Int) { list.select(index: index) }
    func rowIndex(atLine line: Int) -> Int? { list.rowIndex(atLine: line) }
    func listRect(_ interior: Rect) -> Rect { interior }
    mutating func setVisibleRows(_ interior: Rect) { list.visibleRows = listRect(interior).height }

    var title: String { "1 Processes \(rows.count)" }

    func draw(into grid: inout CellGrid, interior: Rect, focused: Bool, context: DrawContext) {
        guard !interior.isEmpty else { return }
        let theme = context.theme
        if list.rows.isEmpty {
            StyledLine("no process", style: theme.muted).draw(into: &grid, x: interior.x, y: interior.y, width: interior.width)
            return
        }
        list.draw(into: &grid, rect: interior, focused: focused, theme: theme) { line in
            let row = line.row
            let mark = (row.isCurrent ? "*" : row.traced ? "T" : " ") + (row.heldAtBirth ? "B" : " ")
            var style = row.exited != nil ? theme.muted : row.heldAtBirth ? theme.held : theme.normal
            if row.isCurrent { style.bold = true }
            var text = "\(mark) \(line.prefix)\(row.pid) \(row.command)"
            if let exited = row.exited { text += " (\(exited))" }
            return StyledLine(text, style: style)
        }
    }
}
