/// Pane 2: every thread of the attached process, sortable and filterable.
struct ThreadTablePane: Sendable {
    /// Columns in table order; the sort column is one of them.
    enum Column: Int, CaseIterable, Sendable {
        case tid, name, state, cpu, wchan, waitsOn, function, held

        var title: String {
            switch self {
            case .tid: "TID"
            case .name: "NAME"
            case .state: "S"
            case .cpu: "CPU%"
            case .wchan: "WCHAN"
            case .waitsOn: "WAITS ON"
            case .function: "FUNCTION"
            case .held: "HELD"
            }
        }

        /// Busiest first for CPU, alphabetical or numeric for the rest.
        var descendingByDefault: Bool { self == .cpu }
    }

    /// NAME is as wide as its names (a comm is at most 15 characters);
    /// WCHAN, WAITS ON and HELD grow to what they hold before FUNCTION, the
    /// one that needs it most, gets the rest. WCHAN goes first when the width
    /// runs out, then CPU%: WAITS ON says more than either (unless no
    /// thread waits on anything known). The sorted
    /// column's title carries the order's arrow, as htop marks it.
    static func columns(for threads: [ThreadRow], grouped: Bool = false, sortedBy sort: Column? = nil,
                        descending: Bool = false, unicode: Bool = true) -> [TableColumn] {
        func title(_ column: Column) -> String {
            guard column == sort else { return column.title }
            return column.title + (descending ? (unicode ? "↓" : "v") : (unicode ? "↑" : "^"))
        }
        return (grouped ? [TableColumn(title: "COUNT", width: 5, alignment: .right)] : []) + [
            TableColumn(title: title(.tid), width: 7, alignment: .right),
            TableColumn(title: title(.name), width: 4).fitted(to: threads.lazy.map(\.name), limit: 15),
            TableColumn(title: title(.state), width: 1),
            TableColumn(title: title(.cpu), width: 5, alignment: .right, dropOrder: 3),
            TableColumn(title: title(.wchan), width: 5, dropOrder: 4)
                .fitted(to: threads.lazy.map { $0.wchan ?? "" }, limit: 17)
                .wanting(threads.lazy.map { $0.wchan ?? "" }, limit: 28),
            // With no wait known in the table it gives its room up first.
            TableColumn(title: title(.waitsOn), width: 8,
                        dropOrder: threads.contains { $0.waitsOn != nil } ? 2 : 5)
                .fitted(to: threads.lazy.map(Self.waitsOnText), limit: 18)
                .wanting(threads.lazy.map(Self.waitsOnText), limit: 64),
            TableColumn(title: title(.function), width: 16, flexible: true),
            TableColumn(title: title(.held), width: 5, dropOrder: 1)
                .fitted(to: threads.lazy.map(Self.heldText), limit: 16)
                .wanting(threads.lazy.map(Self.heldText), limit: 48),
        ]
    }

    /// Where FUNCTION is among `columns`' columns.
    static func functionColumn(grouped: Bool) -> Int { (grouped ? 1 : 0) + Column.function.rawValue }

    /// What holds the thread: a flag, a hold point (`@` and its location),
    /// its hold at birth, or a wait-for cycle. The cycle says so in words: the mark must survive NO_COLOR and
    /// a plain-text capture of the screen.
    static func heldText(_ thread: ThreadRow) -> String {
        thread.heldFlag ?? thread.heldPoint.map { "@" + $0 }
            ?? (thread.heldAtBirth ? thread.heldNote ?? "birth" : thread.deadlocked ? deadlockMark : "")
    }

    static let deadlockMark = "deadlock"

    static func waitsOnText(_ thread: ThreadRow) -> String { thread.waitsOn ?? "" }

    private(set) var all: [ThreadRow] = []
    private(set) var list = ListPane<ThreadRow>()
    private(set) var sortColumn = Column.tid
    private(set) var descending = false
    /// One row per set of threads with identical stacks, largest set first.
    private(set) var grouped = false
    var filter = FilterField()
    /// FUNCTION shifted sideways when a name is wider than its column.
    private(set) var side = SideScroll()
    /// Rows the table would show unfiltered, for the layout: typing a filter
    /// does not move the panes.
    private(set) var unfilteredRowCount = 0
    private var unicode = true

    var selectedTID: Int32? { list.selectedRow?.tid }
    var selectedThread: ThreadRow? { list.selectedRow }

    mutating func setThreads(_ threads: [ThreadRow]) {
        all = threads
        rebuild()
    }

    /// Re-applies sort and filter; the cursor stays on its thread.
    mutating func rebuild() {
        let column = sortColumn, descending = descending
        let filter = filter
        // Any frame of the stack, not only the innermost one the table shows.
        let matching = all.filter { thread in
            filter.matches(thread.name, thread.function ?? "", thread.waitsOn ?? "", thread.deadlocked ? Self.deadlockMark : "")
                || thread.stackFunctions.contains { filter.matches($0) }
        }
        unfilteredRowCount = grouped ? Self.groups(of: all).count : all.count
        if grouped { return list.setRows(Self.groups(of: matching)) }
        let shown = matching.sorted { a, b in
            let order = Self.compare(a, b, by: column)
            if order != 0 { return descending ? order > 0 : order < 0 }
            return a.tid < b.tid
        }
        list.setRows(shown)
    }

    /// The cursor stays with the selected thread: on its group's row when
    /// grouping, on the thread that row stood for when not.
    mutating func toggleGrouping() {
        let selected = list.selectedRow
        grouped.toggle()
        rebuild()
        if grouped, let group = selected?.stackGroup, let row = list.rows.first(where: { $0.stackGroup == group }) {
            _ = list.select(id: row.id)
        }
    }

    /// A row per stack group, standing for its lowest tid; largest first.
    static func groups(of threads: [ThreadRow]) -> [ThreadRow] {
        var indexOfGroup: [Int: Int] = [:]
        var rows: [ThreadRow] = []
        for thread in threads.sorted(by: { $0.tid < $1.tid }) {
            if let group = thread.stackGroup, let index = indexOfGroup[group] {
                rows[index].groupSize += 1
                rows[index].cpuPercent += thread.cpuPercent
                rows[index].memberTIDs.append(thread.tid)
                if thread.isHeld { rows[index].heldMemberTIDs.append(thread.tid) }
                continue
            }
            if let group = thread.stackGroup { indexOfGroup[group] = rows.count }
            var row = thread
            row.groupSize = 1
            row.memberTIDs = [thread.tid]
            row.heldMemberTIDs = thread.isHeld ? [thread.tid] : []
            rows.append(row)
        }
        return rows.enumerated()
            .sorted { a, b in a.element.groupSize != b.element.groupSize ? a.element.groupSize > b.element.groupSize : a.offset < b.offset }
            .map(\.element)
    }

    /// Selects `tid`'s row (its group's when grouped), clearing a filter that hides it.
    mutating func select(tid: Int32) -> Bool {
        guard all.contains(where: { $0.tid == tid }) else { return false }
        if !list.rows.contains(where: { $0.tid == tid || $0.memberTIDs.contains(tid) }) {
            filter.clear()
            rebuild()
        }
        if list.select(id: tid) { return true }
        guard let group = list.rows.first(where: { $0.memberTIDs.contains(tid) }) else { return false }
        return list.select(id: group.id)
    }

    mutating func cycleSort(by step: Int) {
        let count = Column.allCases.count
        sortColumn = Column(rawValue: ((sortColumn.rawValue + step) % count + count) % count)!
        descending = sortColumn.descendingByDefault
        rebuild()
    }

    mutating func invertSort() {
        descending.toggle()
        rebuild()
    }

    mutating func handleMovement(_ key: KeyEvent) -> Bool { side.handle(key) || list.handleMovement(key) }
    mutating func scroll(by delta: Int) { list.scroll(by: delta) }
    mutating func select(index: Int) { list.select(index: index) }
    func rowIndex(atLine line: Int) -> Int? { list.rowIndex(atLine: line) }

    /// Below the header line.
    func listRect(_ interior: Rect) -> Rect {
        Rect(x: interior.x, y: interior.y + 1, width: interior.width, height: interior.height - 1)
    }

    /// The rows shown and how far FUNCTION's longest name overflows its column.
    mutating func setViewport(_ interior: Rect, unicode: Bool) {
        self.unicode = unicode
        list.visibleRows = listRect(interior).height
        let table = table(width: interior.width, unicode: unicode)
        let longest = list.rows.lazy.map { ($0.function ?? "").count }.max() ?? 0
        side.overflow = table.column(from: Self.functionColumn(grouped: grouped)).map { max(0, longest - $0.width) } ?? 0
    }

    private func table(width: Int, unicode: Bool) -> TableColumns {
        TableColumns(Self.columns(for: all, grouped: grouped, sortedBy: sortColumn, descending: descending, unicode: unicode),
                     width: width, unicode: unicode)
    }

    /// What is shown; the header's arrow marks the sort too.
    var title: String {
        let count = filter.isActive ? "\(list.rows.count)/\(all.count)" : "\(all.count)"
        var title = grouped
            ? "2 Threads \(filter.isActive ? "\(list.rows.map(\.groupSize).reduce(0, +))/\(all.count)" : "\(all.count)") in \(list.rows.count) stack groups"
            : "2 Threads \(count) by \(sortColumn.title)\(descending == sortColumn.descendingByDefault ? "" : " inverted")"
        if filter.isActive || filter.typing { title += " /\(filter.text) in any frame" }
        let marks = side.marks(unicode: unicode)
        return marks.isEmpty ? title : title + " " + marks
    }

    /// `12/36`: the cursor's row and how many there are.
    var position: String? { list.rows.isEmpty ? nil : "\(list.selectedIndex + 1)/\(list.rows.count)" }

    func draw(into grid: inout CellGrid, interior: Rect, focused: Bool, context: DrawContext) {
        guard !interior.isEmpty else { return }
        let grouped = grouped
        let table = table(width: interior.width, unicode: context.unicode)
        StyledLine(table.header, style: context.theme.header, fill: context.theme.header)
            .draw(into: &grid, x: interior.x, y: interior.y, width: interior.width)
        let rows = listRect(interior)
        if list.rows.isEmpty {
            let text = all.isEmpty ? "no threads yet" : "no thread matches /\(filter.text)"
            StyledLine(text, style: context.theme.muted).draw(into: &grid, x: rows.x, y: rows.y, width: rows.width)
            return
        }
        let side = side, unicode = context.unicode
        let functionWidth = table.column(from: Self.functionColumn(grouped: grouped))?.width ?? 0
        let waitsOnWidth = table.column(from: (grouped ? 1 : 0) + Column.waitsOn.rawValue)?.width ?? 0
        list.draw(into: &grid, rect: rows, focused: focused, theme: context.theme) { thread in
            let function = side.shifted(thread.function ?? "-", width: functionWidth, unicode: unicode)
            let values = (grouped ? ["\(thread.groupSize)"] : [])
                + ["\(thread.tid)", thread.name, String(thread.state), Formatting.oneDecimal(thread.cpuPercent),
                   thread.wchan ?? "-",
                   thread.waitsOn.map { WaitsOnText.fitted($0, width: waitsOnWidth, unicode: unicode) } ?? "-",
                   function, Self.heldText(thread)]
            let held = thread.isHeld || !thread.heldMemberTIDs.isEmpty
            let style = thread.deadlocked ? context.theme.warning : held ? context.theme.held : context.theme.normal
            return StyledLine(table.line(values), style: style)
        }
    }

    /// Negative, zero or positive, like strcmp.
    private static func compare(_ a: ThreadRow, _ b: ThreadRow, by column: Column) -> Int {
        func order<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : (x > y ? 1 : 0) }
        switch column {
        case .tid: return order(a.tid, b.tid)
        case .name: return order(a.name, b.name)
        case .state: return order(String(a.state), String(b.state))
        case .cpu: return order(a.cpuPercent, b.cpuPercent)
        case .wchan: return order(a.wchan ?? "", b.wchan ?? "")
        case .waitsOn: return order(waitsOnText(a), waitsOnText(b))
        case .function: return order(a.function ?? "", b.function ?? "")
        case .held: return order(heldText(a), heldText(b))
        }
    }
}
