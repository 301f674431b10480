import Inspector
import ProcFS

/// Pane 1's rows: for each attached process, its parent chain from the top,
/// then the process and its descendants, with the processes we trace
/// (attached ones and followed forks), those held at birth and those gone
/// marked, and each one's state, CPU% and held threads. Each process shows
/// once: an attached process inside another's subtree is shown there. Pure
/// over what was read.
public enum ProcessTreeRows {
    /// One row's process, its indentation, and whether it is context only.
    public typealias Member = (pid: Int32, depth: Int, isAncestor: Bool)

    /// - roots: the processes attached, in the order added.
    /// - current: the process whose threads the other panes show.
    /// - exited: how each process that ended while traced ended.
    /// - stats: each row's /proc/PID/stat read now, for its state (the tree
    ///   may be seconds old); without one, the tree's.
    /// - cpuPercent: each row's share of one CPU since the last refresh.
    /// - heldThreads: threads held per process (`HeldThreadCounts`); shown
    ///   for traced processes only.
    public static func make(
        _ tree: ProcessTree, roots: [Int32], current: Int32?, traced: Set<Int32> = [], heldAtBirth: Set<Int32> = [],
        exited: [Int32: String] = [:], stats: [Int32: TaskStat] = [:], cpuPercent: [Int32: Double] = [:],
        heldThreads: [Int32: Int] = [:]
    ) -> [ProcessTreeRow] {
        members(tree, roots: roots).map { member in
            let pid = member.pid
            var row = ProcessTreeRow(
                pid: pid, parent: tree.processes[pid]?.parentID, command: tree.processes[pid]?.command ?? "",
                depth: member.depth, state: (stats[pid]?.state ?? tree.processes[pid]?.state)?.letter,
                cpuPercent: cpuPercent[pid], isAncestor: member.isAncestor)
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

    /// One attached process's rows.
    public static func make(
        _ tree: ProcessTree, root: Int32, current: Int32?, traced: Set<Int32> = [], heldAtBirth: Set<Int32> = [],
        exited: [Int32: String] = [:], stats: [Int32: TaskStat] = [:], cpuPercent: [Int32: Double] = [:],
        heldThreads: [Int32: Int] = [:]
    ) -> [ProcessTreeRow] {
        make(tree, roots: [root], current: current, traced: traced, heldAtBirth: heldAtBirth, exited: exited,
             stats: stats, cpuPercent: cpuPercent, heldThreads: heldThreads)
    }

    /// Ancestors shown above the attached process: its parent and
    /// grandparent. Further up (init, a session manager, terminals, shells)
    /// is context a user does not need, and each level would indent the
    /// processes that matter further out of a narrow pane.
    public static let shownAncestors = 2

    /// The rows' processes in order: for each attached process not inside
    /// another's subtree, the nearest ancestors from the top (those not
    /// shown already), the process, its descendants depth first. A later
    /// group whose parent is shown already starts at depth 0 of its own.
    public static func members(_ tree: ProcessTree, roots: [Int32]) -> [Member] {
        let attached = Set(roots)
        var shown: Set<Int32> = []
        var result: [Member] = []
        for root in roots where !shown.contains(root) {
            let chain = tree.ancestors(of: root)
            // Inside another attached process's subtree: shown with it.
            guard !chain.contains(where: attached.contains) else { continue }
            let ancestors = Array(chain.prefix(shownAncestors).prefix { !shown.contains($0) }.reversed())
            let group: [Member] = ancestors.enumerated().map { ($1, $0, true) } + [(root, ancestors.count, false)]
                + tree.descendants(of: root).map { ($0.pid, ancestors.count + $0.depth, false) }
            for member in group where shown.insert(member.pid).inserted { result.append(member) }
        }
        return result
    }

    /// One attached process's members.
    public static func members(_ tree: ProcessTree, root: Int32) -> [Member] { members(tree, roots: [root]) }
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
