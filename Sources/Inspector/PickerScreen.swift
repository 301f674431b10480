/// The attach picker: a ps-like list to choose a process from when lwpscope
/// starts without a pid. Rows that cannot be attached stay visible, dimmed,
/// so the user sees the process and learns why instead of wondering where it went.
struct PickerScreen: Sendable {
    typealias Column = PickerColumn

    /// A process with its tree branches (empty outside tree view).
    struct Line: Identifiable, Sendable {
        var row: PickerRow
        var prefix: String
        var id: Int32 { row.pid }
    }

    private(set) var all: [PickerRow] = []
    private(set) var list = ListPane<Line>()
    private(set) var sortColumn = Column.pid
    private(set) var descending = false
    private(set) var treeView = false
    private(set) var filter = FilterField()
    private var unicode = true
    /// The process the user last settled on. Typing a filter follows it by
    /// pid; while the filter hides it the cursor is on the first match (never
    /// on whatever now holds its old row number), and it comes back when the
    /// filter lets it through again.
    private var chosenPID: Int32?
    /// A row with a caution whose warning is showing: a second Enter on it
    /// attaches, any other key forgets it.
    private var cautionShown: Int32?
    /// Opened from the main screen (`a`): a session is running, `a` adds to
    /// it and Esc goes back to it.
    var addingToSession = false

    var selectedProcess: PickerRow? { list.selectedRow?.row }
    var isTypingFilter: Bool { filter.typing }

    mutating func setRows(_ rows: [PickerRow], unicode: Bool) {
        all = rows
        self.unicode = unicode
        rebuild()
    }

    private mutating func rebuild() {
        let sorted = all.sorted(by: ordering)
        let lines = treeView ? PickerTree.lines(sorted, unicode: unicode) : sorted.map { Line(row: $0, prefix: "") }
        let filter = filter
        list.setRows(lines.filter {
            filter.matches(String($0.row.pid), $0.row.user, $0.row.command, $0.row.container?.name ?? "")
        })
        guard let pid = chosenPID, all.contains(where: { $0.pid == pid }) else {
            // Never chosen, or the process has gone: the cursor keeps its place.
            chosenPID = selectedProcess?.pid
            return
        }
        if !list.select(id: pid) { list.select(index: 0) }
    }

    private var ordering: @Sendable (PickerRow, PickerRow) -> Bool {
        let column = sortColumn, descending = descending
        return { a, b in
            let order = column.compare(a, b)
            if order != 0 { return descending ? order > 0 : order < 0 }
            return a.pid < b.pid
        }
    }

    private mutating func sort(by column: Column) {
        if sortColumn == column {
            descending.toggle()
        } else {
            sortColumn = column
            descending = column.descendingByDefault
        }
        rebuild()
    }

    private mutating func cycleSort(by step: Int) {
        let count = Column.allCases.count
        sortColumn = Column(rawValue: ((sortColumn.rawValue + step) % count + count) % count)!
        descending = sortColumn.descendingByDefault
        rebuild()
    }

    // MARK: Keys

    mutating func handle(_ key: KeyEvent, width: Int, height: Int, message: inout StatusMessage?) -> KeyOutcome {
        let layout = PickerLayout(width: width, height: height)
        if let layout { list.visibleRows = layout.list.height }
        let warned = cautionShown
        cautionShown = nil
        if filter.handle(key) {
            rebuild()
            // Done typing (or the filter cleared): what is highlighted is now the choice.
            if !filter.typing { chosenPID = selectedProcess?.pid }
            return .redraw
        }
        let outcome = dispatch(key, layout: layout, warned: warned, message: &message)
        chosenPID = selectedProcess?.pid
        return outcome
    }

    private mutating func dispatch(_ key: KeyEvent, layout: PickerLayout?, warned: Int32?,
                                   message: inout StatusMessage?) -> KeyOutcome {
        switch key {
        case .enter: return attach(warned: warned, message: &message, key: "Enter", as: InspectorCommand.attach)
        case .character("a"): return attach(warned: warned, message: &message, key: "a", as: InspectorCommand.addProcess)
        case .character("/"), .function(3): filter.start()
        case .escape:
            guard filter.isActive else { return .ignored }
            filter.clear()
            rebuild()
        case .character("t"), .function(5):
            treeView.toggle()
            rebuild()
        case .character("s"), .character(">"), .function(6): cycleSort(by: 1)
        case .character("<"): cycleSort(by: -1)
        case .character("P"): sort(by: .cpu)
        case .character("M"): sort(by: .rss)
        case .character("N"): sort(by: .pid)
        case .character("I"):
            descending.toggle()
            rebuild()
        case .character("q"), .function(10): return .command(.quit)
        case .mouse(let x, let y, let kind):
            guard let layout else { return .ignored }
            return mouse(x: x, y: y, kind: kind, layout: layout)
        default:
            return list.handleMovement(key) ? .redraw : .ignored
        }
        return .redraw
    }

    /// Enter (or `a`) on a process we cannot trace says why instead of
    /// failing later in ptrace; on one with a caution it shows the caution
    /// first and only the next press, on the same row, attaches.
    private mutating func attach(warned: Int32?, message: inout StatusMessage?, key: String,
                                 as command: (Int32) -> InspectorCommand) -> KeyOutcome {
        guard let process = selectedProcess else {
            message = StatusMessage(all.isEmpty ? "no processes listed yet" : "no process matches /\(filter.text)",
                                    severity: .warning)
            return .redraw
        }
        guard process.attachable else {
            message = StatusMessage("cannot attach to \(process.pid) \(process.command): \(process.whyNot ?? "not attachable")",
                                    severity: .warning)
            return .redraw
        }
        if let caution = process.caution, warned != process.pid {
            message = StatusMessage("\(process.pid) \(process.command): \(caution); press \(key) again to attach",
                                    severity: .warning)
            cautionShown = process.pid
            return .redraw
        }
        return .command(command(process.pid))
    }

    private mutating func mouse(x: Int, y: Int, kind: KeyEvent.MouseKind, layout: PickerLayout) -> KeyOutcome {
        switch kind {
        case .wheelUp: list.scroll(by: -3)
        case .wheelDown: list.scroll(by: 3)
        case .leftClick:
            if y == layout.headerRow {
                // A click on a column title sorts by it, as in htop.
                var start = 0
                for column in table(width: layout.list.width).fitted {
                    if x >= start && x < start + column.width, let sortBy = Column(rawValue: column.source - 1) {
                        sort(by: sortBy)
                        return .redraw
                    }
                    start += column.width + 1
                }
                return .ignored
            }
            guard let index = list.rowIndex(atLine: y - layout.list.y) else { return .ignored }
            list.select(index: index)
        }
        return .redraw
    }

    // MARK: Drawing

    /// Every key of the picker's help has an item here (the least needed
    /// go first on a narrow screen); Esc only while a filter is set.
    var keyBarItems: [KeyBarItem] {
        [
            KeyBarItem(key: "Enter", label: "Attach", event: .enter),
            KeyBarItem(key: "a", label: "Add", event: .character("a"), dropOrder: addingToSession ? 0 : 4),
            KeyBarItem(key: "/", label: "Filter", event: .character("/")),
        ] + (filter.isActive ? [KeyBarItem(key: "Esc", label: "Clear", event: .escape, dropOrder: 1)]
             : addingToSession ? [KeyBarItem(key: "Esc", label: "Back", event: .escape, dropOrder: 1)] : []) + [
            KeyBarItem(key: unicode ? "↑↓" : "Up/Dn", label: "Move", event: .down, dropOrder: 6),
            KeyBarItem(key: "t", label: treeView ? "List" : "Tree", event: .character("t"), dropOrder: 1),
            KeyBarItem(key: "s", label: "Sort", event: .character("s"), dropOrder: 2),
            KeyBarItem(key: "P", label: "CPU", event: .character("P"), dropOrder: 3),
            KeyBarItem(key: "M", label: "RSS", event: .character("M"), dropOrder: 3),
            KeyBarItem(key: "N", label: "PID", event: .character("N"), dropOrder: 3),
            KeyBarItem(key: "I", label: "Invert", event: .character("I"), dropOrder: 5),
            KeyBarItem(key: "l", label: "Log", event: .character("l"), dropOrder: 2),
            KeyBarItem(key: "?", label: "Help", event: .function(1)),
            KeyBarItem(key: "q", label: "Quit", event: .character("q")),
        ]
    }

    mutating func draw(into grid: inout CellGrid, context: DrawContext) {
        let theme = context.theme
        guard let layout = PickerLayout(width: grid.width, height: grid.height) else {
            TooSmall.draw(into: &grid, minimumWidth: PickerLayout.minimumWidth,
                          minimumHeight: PickerLayout.minimumHeight, theme: theme)
            return
        }
        list.visibleRows = layout.list.height
        StatusLine.drawPicker(total: all.count, shown: list.rows.count, sortedBy: sortLabel, tree: treeView,
                              filter: filter, into: &grid, context: context)
        let table = table(width: layout.list.width)
        StyledLine(table.header, style: theme.header, fill: theme.header)
            .draw(into: &grid, x: 0, y: layout.headerRow, width: layout.list.width)
        drawPosition(into: &grid, header: table.header, y: layout.headerRow, theme: theme)
        if list.rows.isEmpty {
            let text = all.isEmpty ? "no processes yet" : "no process matches /\(filter.text)"
            StyledLine(text, style: theme.muted).draw(into: &grid, x: 0, y: layout.list.y, width: layout.list.width)
        } else {
            list.draw(into: &grid, rect: layout.list, focused: true, theme: theme) { line in
                StyledLine(table.line(Column.values(line.row, prefix: line.prefix)),
                           style: line.row.attachable ? theme.normal : theme.muted)
            }
        }
        if filter.typing {
            KeyBar.drawFilterPrompt(filter, label: "Filter: ", into: &grid, y: layout.keyBarRow, theme: theme)
        } else {
            KeyBar.draw(keyBarItems, into: &grid, y: layout.keyBarRow, theme: theme)
        }
    }

    private func table(width: Int) -> TableColumns {
        let tracers = all.compactMap(\.tracer)
        return TableColumns(Column.table(sortedBy: sortColumn, descending: descending, tracers: tracers,
                                         unicode: unicode), width: width, unicode: unicode)
    }

    /// Where the cursor is, `12/36`, at the right end of the header when the
    /// titles leave room for it.
    private func drawPosition(into grid: inout CellGrid, header: String, y: Int, theme: Theme) {
        guard !list.rows.isEmpty else { return }
        let text = " \(list.selectedIndex + 1)/\(list.rows.count) "
        var used = header
        while used.last == " " { used.removeLast() }
        let x = grid.width - text.count
        guard x > used.count else { return }
        grid.put(text, x: x, y: y, style: theme.header, maxWidth: text.count)
    }

    private var sortLabel: String {
        sortColumn.title + (descending == sortColumn.descendingByDefault ? "" : " inverted")
    }
}
