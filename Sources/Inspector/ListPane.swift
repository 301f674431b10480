/// A scrollable list with one selected row, kept by identity: when a refresh
/// reorders rows the cursor follows its row; when the row is gone it stays
/// at the same place, as htop's Panel does.
struct ListPane<Row: Identifiable & Sendable>: Sendable where Row.ID: Sendable {
    private(set) var rows: [Row] = []
    private(set) var selectedIndex = 0
    private(set) var selectedID: Row.ID?
    /// The first row shown.
    private(set) var top = 0
    /// How many rows fit on screen, from the last layout; page keys move by it.
    var visibleRows = 1 {
        didSet { keepSelectionVisible() }
    }

    var selectedRow: Row? { rows.indices.contains(selectedIndex) ? rows[selectedIndex] : nil }

    mutating func setRows(_ newRows: [Row]) {
        rows = newRows
        if let id = selectedID, let index = newRows.firstIndex(where: { $0.id == id }) {
            selectedIndex = index
        }
        select(index: selectedIndex)
    }

    mutating func select(index: Int) {
        selectedIndex = max(0, min(index, rows.count - 1))
        selectedID = selectedRow?.id
        keepSelectionVisible()
    }

    /// Moves the cursor to the row with `id`; false when there is none.
    @discardableResult
    mutating func select(id: Row.ID) -> Bool {
        guard let index = rows.firstIndex(where: { $0.id == id }) else { return false }
        select(index: index)
        return true
    }

    /// ↑ ↓ j k PgUp PgDn Home End; false for any other key.
    mutating func handleMovement(_ key: KeyEvent) -> Bool {
        let page = max(1, visibleRows - 1)
        switch key {
        case .up, .character("k"): select(index: selectedIndex - 1)
        case .down, .character("j"): select(index: selectedIndex + 1)
        case .pageUp: select(index: selectedIndex - page)
        case .pageDown: select(index: selectedIndex + page)
        case .home: select(index: 0)
        case .end: select(index: rows.count - 1)
        default: return false
        }
        return true
    }

    /// The wheel moves the view; the cursor is dragged along only when it would leave it.
    mutating func scroll(by delta: Int) {
        top = max(0, min(top + delta, rows.count - visibleRows))
        if selectedIndex < top { select(index: top) }
        if selectedIndex >= top + visibleRows { select(index: top + visibleRows - 1) }
    }

    /// The row drawn on the `line`-th screen line of the list, if any.
    func rowIndex(atLine line: Int) -> Int? {
        let index = top + line
        return line >= 0 && line < visibleRows && rows.indices.contains(index) ? index : nil
    }

    private mutating func keepSelectionVisible() {
        let visible = max(1, visibleRows)
        if selectedIndex < top { top = selectedIndex }
        if selectedIndex >= top + visible { top = selectedIndex - visible + 1 }
        // No empty space below the last row while rows above are hidden.
        top = max(0, min(top, rows.count - visible))
    }

    /// Draws the visible rows into `rect`; the selected one is laid over with
    /// the selection style across the whole width.
    func draw(into grid: inout CellGrid, rect: Rect, focused: Bool, theme: Theme, line: (Row) -> StyledLine) {
        for offset in 0..<rect.height {
            let y = rect.y + offset
            guard let index = rowIndex(atLine: offset) else {
                grid.fill(Rect(x: rect.x, y: y, width: rect.width, height: 1))
                continue
            }
            line(rows[index]).draw(into: &grid, x: rect.x, y: y, width: rect.width)
            if index == selectedIndex {
                grid.restyle(Rect(x: rect.x, y: y, width: rect.width, height: 1)) { style in
                    style = theme.selecting(style, focused: focused)
                }
            }
        }
    }
}
