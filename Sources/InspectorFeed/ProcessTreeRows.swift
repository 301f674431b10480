import Inspector
import ProcFS

/// Pane 1's rows: the attached process's parent chain from the top, then the
/// process and its descendants, with the processes we trace (followed
/// forks), those held at birth and those gone marked. Pure over the tree.
public enum ProcessTreeRows {
    /// - root: the process the user attached to.
    /// - current: the process whose threads the other panes show.
    /// - exited: how each process that ended while traced ended.
    public static func make(
        _ tree: ProcessTree, root: Int32, current: Int32?, traced: Set<Int32> = [], heldAtBirth: Set<Int32> = [],
        exited: [Int32: String] = [:]
    ) -> [ProcessTreeRow] {
        func command(_ pid: Int32) -> String { tree.processes[pid]?.command ?? "" }
        let ancestors = Array(tree.ancestors(of: root).reversed())
        var rows = ancestors.enumerated().map { depth, pid in
            ProcessTreeRow(pid: pid, parent: tree.processes[pid]?.parentID, command: command(pid), depth: depth)
        }
        func row(_ pid: Int32, depth: Int) -> ProcessTreeRow {
            ProcessTreeRow(
                pid: pid, parent: tree.processes[pid]?.parentID, command: command(pid), depth: depth,
                isCurrent: pid == current, traced: traced.contains(pid), heldAtBirth: heldAtBirth.contains(pid),
                exited: exited[pid])
        }
        rows.append(row(root, depth: ancestors.count))
        for child in tree.descendants(of: root) { rows.append(row(child.pid, depth: ancestors.count + child.depth)) }
        return rows
    }
}

/// The system's process tree, kept between refreshes: reading every
/// process's /proc files was a third of a refresh, and the tree rarely
/// changes. Read again after `lifetime` seconds, or at once after `invalidate`
/// (a traced process forked, exec'd or exited).
public struct ProcessTreeCache: Sendable {
    public static let lifetime = 5.0
    private var cached: (readAt: Double, tree: ProcessTree)?

    public init() {}

    /// - now: seconds on a monotonic clock.
    public mutating func tree(now: Double, read: () -> ProcessTree) -> ProcessTree {
        if let cached, now - cached.readAt <= Self.lifetime { return cached.tree }
        let tree = read()
        cached = (now, tree)
        return tree
    }

    public mutating func invalidate() { cached = nil }
}
