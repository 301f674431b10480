/// The picker's tree view (`t`): each process under its parent.
enum PickerTree {
    /// Depth-first from the processes whose parent is not listed; siblings keep the sort order.
    static func lines(_ sorted: [PickerRow], unicode: Bool) -> [PickerScreen.Line] {
        let pids = Set(sorted.map(\.pid))
        var children: [Int32: [PickerRow]] = [:]
        var roots: [PickerRow] = []
        for row in sorted {
            if row.ppid != row.pid, pids.contains(row.ppid) { children[row.ppid, default: []].append(row) } else { roots.append(row) }
        }
        var ordered: [(PickerRow, Int)] = []
        var visited = Set<Int32>()
        var stack = roots.reversed().map { ($0, 0) }
        while let (row, depth) = stack.popLast() {
            guard visited.insert(row.pid).inserted else { continue }
            ordered.append((row, depth))
            stack += (children[row.pid] ?? []).reversed().map { ($0, depth + 1) }
        }
        let prefixes = TreePrefix.compute(depths: ordered.map(\.1), unicode: unicode)
        return zip(ordered, prefixes).map { PickerScreen.Line(row: $0.0, prefix: $1) }
    }
}
