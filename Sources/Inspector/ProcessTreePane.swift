/// Pane 1: every attached process with its parent chain and children, in the
/// controller's order. Marks: `*` the one shown, `T` traced, `B` held at birth.
/// Each process shows its state, CPU% and held threads; ancestors go by their
/// command's name only, so PID 1's long command line does not take the width.
struct ProcessTreePane: Sendable {
    /// A row with its branch drawing and the name it goes by, worked out once per update.
    struct Line: Identifiable, Sendable {
        var row: ProcessTreeRow
        var prefix: String
        var name: String
        var isAncestor: Bool
        var id: Int32 { row.pid }
    }

    /// PROCESS keeps room for the branches and a name; HELD and CPU% go first.
    static func columns(for lines: [Line]) -> [TableColumn] {
        [
            TableColumn(title: "PROCESS", width: 18, flexible: true),
            TableColumn(title: "S", width: 1),
            TableColumn(title: "CPU%", width: 5, alignment: .right, dropOrder: 2),
            TableColumn(title: "HELD", width: 4, alignment: .right, dropOrder: 1),
        ]
    }

    private(set) var list = ListPane<Line>()
    private(set) var side = SideScroll()
    private var rows: [ProcessTreeRow] = []
    private var unicode = true

    var selectedProcess: ProcessTreeRow? { list.selectedRow?.row }
    /// Enter would attach it as well: untraced, alive, and below the one shown.
    var selectedIsAttachableChild: Bool {
        guard let line = list.selectedRow else { return false }
        return !line.row.traced && line.row.exited == nil && !line.isAncestor && !line.row.isCurrent
    }

    mutating func setRows(_ newRows: [ProcessTreeRow], unicode: Bool) {
        let firstTime = list.rows.isEmpty
        rows = newRows
        self.unicode = unicode
        let prefixes = TreePrefix.compute(depths: newRows.map(\.depth), unicode: unicode)
        let ancestors = Self.ancestors(in: newRows)
        list.setRows(zip(newRows, prefixes).map { row, prefix in
            // The feed marks ancestors; rows made by hand leave it to the parent chain.
            let isAncestor = row.isAncestor || (ancestors.contains(row.pid) && !row.traced)
            return Line(row: row, prefix: prefix, name: isAncestor ? Self.commandName(row.command) : row.command,
                        isAncestor: isAncestor)
        })
        // Start on the process being shown, not on the oldest ancestor.
        if firstTime, let current = newRows.first(where: \.isCurrent) { list.select(id: current.pid) }
    }

    /// The pids above the current process, by its parent links.
    static func ancestors(in rows: [ProcessTreeRow]) -> Set<Int32> {
        let parents = Dictionary(rows.map { ($0.pid, $0.parent) }, uniquingKeysWith: { first, _ in first })
        var result: Set<Int32> = []
        var next = rows.first(where: \.isCurrent)?.parent
        while let pid = next, parents[pid] != nil, !result.contains(pid) {
            result.insert(pid)
            next = parents[pid] ?? nil
        }
        return result
    }

    /// `/sbin/init splash` goes by `init`.
    static func commandName(_ command: String) -> String {
        let first = command.split(separator: " ", maxSplits: 1).first.map(String.init) ?? command
        return first.split(separator: "/").last.map(String.init) ?? first
    }

    mutating func handleMovement(_ key: KeyEvent) -> Bool { side.handle(key) || list.handleMovement(key) }
    mutating func scroll(by delta: Int) { list.scroll(by: delta) }
    mutating func select(index: Int) { list.select(index: index) }
    func rowIndex(atLine line: Int) -> Int? { list.rowIndex(atLine: line) }
    /// Below the header line.
    func listRect(_ interior: Rect) -> Rect {
        Rect(x: interior.x, y: interior.y + 1, width: interior.width, height: interior.height - 1)
    }

    /// The rows shown and how far the longest PROCESS text overflows its column.
    mutating func setViewport(_ interior: Rect, unicode: Bool) {
        list.visibleRows = listRect(interior).height
        let table = TableColumns(Self.columns(for: list.rows), width: interior.width)
        let longest = list.rows.lazy.map { Self.processText($0).count }.max() ?? 0
        side.overflow = table.column(from: 0).map { max(0, longest - $0.width) } ?? 0
    }

    var title: String {
        let marks = side.marks(unicode: unicode)
        return "1 Processes \(rows.count)" + (marks.isEmpty ? "" : " " + marks)
    }

    var position: String? { list.rows.isEmpty ? nil : "\(list.selectedIndex + 1)/\(list.rows.count)" }

    static func processText(_ line: Line) -> String {
        let row = line.row
        let mark = (row.isCurrent ? "*" : row.traced ? "T" : " ") + (row.heldAtBirth ? "B" : " ")
        var text = "\(mark) \(line.prefix)\(row.pid) \(line.name)"
        if let exited = row.exited { text += " (\(exited))" }
        return text
    }

    func draw(into grid: inout CellGrid, interior: Rect, focused: Bool, context: DrawContext) {
        guard !interior.isEmpty else { return }
        let theme = context.theme
        let table = TableColumns(Self.columns(for: list.rows), width: interior.width, unicode: context.unicode)
        StyledLine(table.header, style: theme.header, fill: theme.header)
            .draw(into: &grid, x: interior.x, y: interior.y, width: interior.width)
        let rows = listRect(interior)
        if list.rows.isEmpty {
            StyledLine("no process", style: theme.muted).draw(into: &grid, x: rows.x, y: rows.y, width: rows.width)
            return
        }
        let side = side, unicode = context.unicode, processWidth = table.column(from: 0)?.width ?? 0
        list.draw(into: &grid, rect: rows, focused: focused, theme: theme) { line in
            let row = line.row
            var style = row.exited != nil ? theme.muted : row.heldAtBirth || row.heldThreads > 0 ? theme.held : theme.normal
            if row.isCurrent { style.bold = true }
            let values = [side.shifted(Self.processText(line), width: processWidth, unicode: unicode), row.state.map(String.init) ?? "-", row.cpuPercent.map(Formatting.oneDecimal) ?? "-",
                          row.heldThreads > 0 ? "\(row.heldThreads)" : ""]
            return StyledLine(table.line(values), style: style)
        }
    }
}
