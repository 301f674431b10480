import Paths

/// Pane 4: the hold flags found in the process, grouped by module, then
/// the hold points set in it, in the order they were set.
struct HoldFlagPane: Sendable {
    /// The name matters most and is as wide as the longest; the module
    /// (often a long library name) takes what is left. The value must always
    /// show, so in a narrow pane the module and HELD go first, then the name
    /// is cut (marked as every cut is).
    static func columns(for flags: [HoldFlagRow], width: Int = 80) -> [TableColumn] {
        let values = flags.lazy.map(\.valueText)
        let valueWidth = max(3, values.map(\.count).max() ?? 3)
        return [
            TableColumn(title: "NAME", width: 4).fitted(to: flags.lazy.map(\.name), limit: max(6, width - valueWidth - 1)),
            TableColumn(title: "MODULE", width: 6, flexible: true, dropOrder: 1),
            TableColumn(title: "VAL", width: 3, alignment: .right).fitted(to: values, limit: 20),
            TableColumn(title: "HELD", width: 4, alignment: .right, dropOrder: 2),
        ]
    }

    private(set) var list = ListPane<HoldFlagRow>()
    /// NAME and MODULE shifted sideways when they are cut.
    private(set) var side = SideScroll()
    private var unicode = true

    var selectedFlag: HoldFlagRow? { list.selectedRow }

    /// Flags sorted by module file name, then flag name (the address breaks
    /// ties); points after them, by id.
    mutating func setFlags(_ flags: [HoldFlagRow]) {
        list.setRows(flags.sorted { a, b in
            if a.isPoint || b.isPoint {
                return a.isPoint == b.isPoint ? (a.pointID ?? 0) < (b.pointID ?? 0) : b.isPoint
            }
            let (moduleA, moduleB) = (Path.basename(a.module), Path.basename(b.module))
            if moduleA != moduleB { return moduleA < moduleB }
            if a.name != b.name { return a.name < b.name }
            return a.address < b.address
        })
    }

    mutating func handleMovement(_ key: KeyEvent) -> Bool { side.handle(key) || list.handleMovement(key) }
    mutating func scroll(by delta: Int) { list.scroll(by: delta) }
    mutating func select(index: Int) { list.select(index: index) }
    func rowIndex(atLine line: Int) -> Int? { list.rowIndex(atLine: line) }
    func listRect(_ interior: Rect) -> Rect {
        Rect(x: interior.x, y: interior.y + 1, width: interior.width, height: interior.height - 1)
    }
    /// The rows shown and how far the widest name or module overflows its column.
    mutating func setViewport(_ interior: Rect, unicode: Bool) {
        self.unicode = unicode
        list.visibleRows = listRect(interior).height
        let table = TableColumns(Self.columns(for: list.rows, width: interior.width), width: interior.width)
        let widths = [0, 1].map { table.column(from: $0)?.width }
        side.overflow = list.rows.map { flag in
            zip([flag.name, Path.basename(flag.module)], widths).map { text, width in
                width.map { max(0, text.count - $0) } ?? 0
            }.max() ?? 0
        }.max() ?? 0
    }

    var title: String {
        let marks = side.marks(unicode: unicode)
        let points = list.rows.count(where: \.isPoint)
        let counts = points == 0 ? "\(list.rows.count)" : "\(list.rows.count - points), points \(points)"
        return "4 Hold flags \(counts)" + (marks.isEmpty ? "" : " " + marks)
    }

    /// The cursor's flag and how many there are, `2/3`.
    var position: String? { list.rows.isEmpty ? nil : "\(list.selectedIndex + 1)/\(list.rows.count)" }

    func draw(into grid: inout CellGrid, interior: Rect, focused: Bool, context: DrawContext) {
        guard !interior.isEmpty else { return }
        let theme = context.theme
        let table = TableColumns(Self.columns(for: list.rows, width: interior.width), width: interior.width,
                                 unicode: context.unicode)
        StyledLine(table.header, style: theme.header, fill: theme.header)
            .draw(into: &grid, x: interior.x, y: interior.y, width: interior.width)
        let rows = listRect(interior)
        if list.rows.isEmpty {
            StyledLine("no hold flags; b sets a hold point", style: theme.muted).draw(into: &grid, x: rows.x, y: rows.y, width: rows.width)
            return
        }
        let side = side, unicode = context.unicode
        let nameWidth = table.column(from: 0)?.width ?? 0, moduleWidth = table.column(from: 1)?.width ?? 0
        list.draw(into: &grid, rect: rows, focused: focused, theme: theme) { flag in
            let values = [side.shifted(flag.name, width: nameWidth, unicode: unicode),
                          side.shifted(Path.basename(flag.module), width: moduleWidth, unicode: unicode),
                          flag.valueText, "\(flag.heldThreadCount)"]
            return StyledLine(table.line(values), style: flag.isHolding ? theme.held : theme.normal)
        }
    }
}
