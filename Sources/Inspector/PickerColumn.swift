/// The picker's sortable columns, in screen order after the mark column.
/// `s`, `>` and `<` step through them; a click on a title sorts by it.
enum PickerColumn: Int, CaseIterable, Sendable {
    case pid, ppid, user, threads, state, cpu, rss, tracer, command

    var title: String {
        switch self {
        case .pid: "PID"
        case .ppid: "PPID"
        case .user: "USER"
        case .threads: "THR"
        case .state: "S"
        case .cpu: "CPU%"
        case .rss: "RSS"
        case .tracer: "TRACED BY"
        case .command: "COMMAND"
        }
    }

    /// Biggest first for the load columns, ascending for the rest.
    var descendingByDefault: Bool { self == .cpu || self == .rss || self == .threads }

    /// Its place in the table: the unnamed mark column (`!`) comes first.
    var tableIndex: Int { rawValue + 1 }

    /// The table: the sorted column's title carries htop's marker (▽ biggest
    /// first, △ smallest first; v and ^ in ASCII); every width has room for it.
    /// TRACED BY is as wide as its widest tracer.
    static func table(sortedBy sorted: PickerColumn, descending: Bool, tracers: [String], unicode: Bool)
        -> [TableColumn] {
        let marker = descending ? (unicode ? "▽" : "v") : (unicode ? "△" : "^")
        func title(_ column: PickerColumn) -> String { column.title + (column == sorted ? marker : "") }
        return [
            TableColumn(title: "", width: 1),
            TableColumn(title: title(.pid), width: 7, alignment: .right),
            TableColumn(title: title(.ppid), width: 7, alignment: .right, dropOrder: 6),
            TableColumn(title: title(.user), width: 9, dropOrder: 2),
            TableColumn(title: title(.threads), width: 4, alignment: .right, dropOrder: 4),
            TableColumn(title: title(.state), width: 2, dropOrder: 5),
            TableColumn(title: title(.cpu), width: 5, alignment: .right, dropOrder: 1),
            TableColumn(title: title(.rss), width: 6, alignment: .right, dropOrder: 1),
            TableColumn(title: title(.tracer), width: 10, dropOrder: 3).fitted(to: tracers, limit: 24),
            TableColumn(title: title(.command), width: 8, flexible: true),
        ]
    }

    /// A row's cells, indexed like `table`.
    static func values(_ row: PickerRow, prefix: String) -> [String] {
        [row.caution == nil ? "" : "!", "\(row.pid)", "\(row.ppid)", row.user, "\(row.threads)", String(row.state),
         Formatting.oneDecimal(row.cpuPercent), Formatting.memory(kib: row.rssKiB), row.tracer ?? "",
         prefix + (row.container?.prefix ?? "") + row.command]
    }

    func compare(_ a: PickerRow, _ b: PickerRow) -> Int {
        func order<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : (x > y ? 1 : 0) }
        switch self {
        case .pid: return order(a.pid, b.pid)
        case .ppid: return order(a.ppid, b.ppid)
        case .user: return order(a.user, b.user)
        case .threads: return order(a.threads, b.threads)
        case .state: return order(String(a.state), String(b.state))
        case .cpu: return order(a.cpuPercent, b.cpuPercent)
        case .rss: return order(a.rssKiB, b.rssKiB)
        // Untraced last when ascending: who traces what is the point of sorting here.
        case .tracer: return order(a.tracer ?? "\u{10FFFF}", b.tracer ?? "\u{10FFFF}")
        case .command: return order(a.command, b.command)
        }
    }
}
