import Paths

/// Pane 4: the hold flags found in the process, grouped by module.
struct HoldFlagPane: Sendable {
    /// The name matters most and is as wide as the longest; the module
    /// (often a long library name) takes what is left. The value must always
    /// show, so in a narrow pane the module and HELD go first, then the name
    /// is cut (marked as every cut is).
    static func columns(for flags: [HoldFlagRow], width: Int = 80) -> [TableColumn] {
        let values = flags.lazy.map { "\($0.value)" }
        let valueWidth = max(3, values.map(\.count).max() ?? 3)
        return [
            TableColumn(title: "NAME", width: 4).fitted(to: flags.lazy.map(\.name), limit: max(6, width - valueWidth - 1)),
            TableColumn(title: "MODULE", width: 6, flexible: true, dropOrder: 1),
            TableColumn(title: "VAL", width: 3, alignment: .right).fitted(to: values, limit: 20),
            TableColumn(title: "HELD", width: 4, alignment: .right, dropOrder: 2),
        ]
    }

    private(set) var list = ListPane<HoldFlagRow>()

    var selectedFlag: HoldFlagRow? { list.selectedRow }

    /// Sorted by module file name, then flag name; the address breaks ties.
    mutating func setFlags(_ flags: [HoldFlagRow]) {
        list.setRows(flags.sorted { a, b in
            let (moduleA, moduleB) = (Path.basename(a.module), Path.basename(b.module))
            if moduleA != moduleB { return moduleA < moduleB }
            if a.name != b.name { return a.name < b.name }
            return a.address < b.address
        })
    }

    mutating func handleMovement(_ key: KeyEvent) -> Bool { list.handleMovement(key) }
    mutating func scroll(by delta: Int) { list.scroll(by: delta) }
    mutating func select(index: Int) { list.select(index: index) }
    func rowIndex(atLine line: Int) -> Int? { list.rowIndex(atLine: line) }
    func listRect(_ interior: Rect) -> Rect {
        Rect(x: interior.x, y: interior.y + 1, width: interior.width, height: interior.height - 1)
    }
    mutating func setVisibleRows(_ interior: Rect) { list.visibleRows = listRect(interior).height }

    var title: String { "4 Hold flags \(list.rows.count)" }

    /// The cursor's flag and how many there are, `2/3`.
    var position: String? { list.rows.isEmpty ? nil : "\(list.selectedIndex + 1)/\(list.rows.count)" }

    func draw(into grid: inout CellGrid, interior: Rect, focused: Bool, context: DrawContext) {
        guard !interior.isEmpty else { return }
        let theme = context.theme
        let table = TableColumns(Self.columns(for: list.rows, width: interior.width), width: interior.width)
        StyledLine(table.header, style: theme.header, fill: theme.header)
            .draw(into: &grid, x: interior.x, y: interior.y, width: interior.width)
        let rows = listRect(interior)
        if list.rows.isEmpty {
            StyledLine("no hold flags", style: theme.muted).draw(into: &grid, x: rows.x, y: rows.y, width: rows.width)
            return
        }
        list.draw(into: &grid, rect: rows, focused: focused, theme: theme) { flag in
            let values = [flag.name, Path.basename(flag.module), "\(flag.value)", "\(flag.heldThreadCount)"]
            return StyledLine(table.line(values), style: flag.value != 0 ? theme.held : theme.normal)
        }
    }
}
