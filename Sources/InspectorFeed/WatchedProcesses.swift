import Engine
import Inspector
import ProcFS

/// Which processes the inspector shows and how they have fared: the one the
/// user attached to, the one whose threads are shown (a followed child, after
/// `switchProcess`), those that ended, and the process tree around them.
public struct WatchedProcesses: Sendable {
    /// What the controller must do after an engine event.
    public enum Reaction: Sendable, Equatable {
        case none
        /// Something changed: refresh within a tenth of a second.
        case refreshSoon
        /// The shown child ended: back to the attached process, refresh now.
        case refreshNow
        /// The attached process ended: detach and say how.
        case targetGone(pid: Int32, message: String)
    }

    public private(set) var attached: Int32?
    public private(set) var current: Int32?
    /// How each traced process that ended, ended ("exited with status 0").
    public private(set) var exited: [Int32: String] = [:]
    private var treeCache = ProcessTreeCache()
    /// Pane 1's CPU% per process, between refreshes.
    private var processCPU = CPUUsage()

    public init() {}

    public mutating func attach(_ pid: Int32) {
        attached = pid
        current = pid
        treeCache.invalidate()
    }

    /// Shows a traced child's threads instead of the attached process's.
    public mutating func show(_ pid: Int32) { current = pid }

    public mutating func detach() {
        attached = nil
        current = nil
    }

    public mutating func react(to event: EngineEvent) -> Reaction {
        switch event {
        case .processExited(let pid, let status):
            exited[pid] = status.description
            treeCache.invalidate()
            if pid == attached { return .targetGone(pid: pid, message: "pid \(pid) \(status)") }
            guard pid == current else { return .none }
            current = attached
            return .refreshNow
        case .processForked, .processExecuted:
            treeCache.invalidate()
            return .refreshSoon
        case .threadCreated:
            return .refreshSoon
        case .threadExited, .signalPassedOn:
            return .none
        case .heldAtBirth:
            return .refreshSoon
        }
    }

    /// Pane 1's rows; the system's tree is read again when stale, each
    /// row's stat every time (state and CPU% move between refreshes).
    /// - heldThreads: threads held per traced process (`HeldThreadCounts.perProcess`).
    /// - now: seconds on a monotonic clock.
    public mutating func treeRows(
        traced: Set<Int32>, heldAtBirth: Set<Int32>, heldThreads: [Int32: Int] = [:], now: Double,
        procfs: ProcFS = ProcFS(), listing: () -> [ProcessSummary]
    ) -> [ProcessTreeRow] {
        guard let root = attached else { return [] }
        let tree = treeCache.tree(now: now) { ProcessTree(listing()) }
        var stats: [Int32: TaskStat] = [:]
        for member in ProcessTreeRows.members(tree, root: root) { stats[member.pid] = procfs.stat(member.pid) }
        let cpuPercent = processCPU.percentages(stats.mapValues { $0.userTicks + $0.systemTicks }, now: now)
        return ProcessTreeRows.make(
            tree, root: root, current: current, traced: traced, heldAtBirth: heldAtBirth, exited: exited,
            stats: stats, cpuPercent: cpuPercent, heldThreads: heldThreads)
    }
}
