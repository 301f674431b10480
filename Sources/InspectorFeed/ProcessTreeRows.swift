import Inspector
import ProcFS

/// Pane 1's rows: the attached process's parent chain from the top, then the
/// process and its descendants, with the processes we trace (followed
/// forks), those held at birth and those gone marked, and each one's state,
/// CPU% and held threads. Pure over what was read.
public enum ProcessTreeRows {
    /// - root: the process the user attached to.
    /// - current: the process whose threads the other panes show.
    /// - exited: how each process that ended while traced ended.
    /// - stats: each row's /proc/PID/stat read now, for its state (the tree
    ///   may be seconds old); without one, the tree's.
    /// - cpuPercent: each row's share of one CPU since the last refresh.
    /// - heldThreads: threads held per process (`HeldThreadCounts`); shown
    ///   for traced processes only.
    public static func make(
        _ tree: ProcessTree, root: Int32, current: Int32?, traced: Set<Int32> = [], heldAtBirth: Set<Int32> = [],
        exited: [Int32: String] = [:], stats: [Int32: TaskStat] = [:], cpuPercent: [Int32: Double] = [:],
        heldThreads: [Int32: Int] = [:]
    ) -> [ProcessTreeRow] {
        members(tree, root: root).map { member in
            let pid = member.pid
            var row = ProcessTreeRow(
                pid: pid, parent: tree.processes[pid]?.parentID, command: tree.processes[pid]?.command ?? "",
                depth: member.depth, state: (stats[pid]?.state ?? tree.processes[pid]?.state)?.letter,
                cpuPercent: cpuPercent[pid])
            // Ancestors are context only: never marked, even when traced.
            guard !member.isAncestor else { return row }
            row.isCurrent = pid == current
            row.traced = traced.contains(pid)
            row.heldAtBirth = heldAtBirth.contains(pid)
            row.exited = exited[pid]
            row.heldThreads = row.traced ? heldThreads[pid] ?? 0 : 0
            return row
        }
    }

    /// Ancestors shown above the attached process: its parent and
    /// grandparent. Further up (init, a session manager, terminals, shells)
    /// is context a user does not need, and each level would indent the
    /// processes that matter further out of a narrow pane.
    public static let shownAncestors = 2

    /// The rows' processes in order: the nearest ancestors from the top, the
    /// root, its descendants depth first.
    public static func members(_ tree: ProcessTree, root: Int32) -> [(pid: Int32, depth: Int, isAncestor: Bool)] {
        let ancestors = Array(tree.ancestors(of: root).prefix(shownAncestors).reversed())
        return ancestors.enumerated().map { ($1, $0, true) } + [(root, ancestors.count, false)]
            + tree.descendants(of: root).map { ($0.pid, ancestors.count + $0.depth, false) }
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
