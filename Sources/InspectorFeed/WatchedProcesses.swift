import Engine
import Inspector
import ProcFS

/// Which processes the inspector shows and how they have fared: every
/// process attached in this session (the roots, in the order added), the one
/// whose threads are shown (a root, or a followed child after
/// `switchProcess`), those that ended, and the process tree around them.
public struct WatchedProcesses: Sendable {
    /// What the controller must do after an engine event.
    public enum Reaction: Sendable, Equatable {
        case none
        /// Something changed: refresh within a tenth of a second.
        case refreshSoon
        /// The shown child ended: back to the attached process, refresh now.
        case refreshNow
        /// An attached process ended and others remain: detach it, say how,
        /// and show `current` (another one, when it was the one shown).
        case rootGone(pid: Int32, message: String)
        /// The last attached process ended: detach and say how.
        case targetGone(pid: Int32, message: String)
    }

    /// Every process attached in this session, in the order added.
    public private(set) var roots: [Int32] = []
    /// The attached process shown last: where a shown child's end goes back to.
    public private(set) var attached: Int32?
    public private(set) var current: Int32?
    /// How each traced process that ended, ended ("exited with status 0").
    public private(set) var exited: [Int32: String] = [:]
    private var treeCache = ProcessTreeCache()
    /// Pane 1's CPU% per process, between refreshes.
    private var processCPU = CPUUsage()

    public init() {}

    /// Adds `pid` to the session (if new) and shows it.
    public mutating func attach(_ pid: Int32) {
        add(pid)
        attached = pid
        current = pid
    }

    /// Adds `pid` to the session; the process shown stays shown (`pid` is
    /// shown only when nothing was).
    public mutating func add(_ pid: Int32) {
        if !roots.contains(pid) { roots.append(pid) }
        if current == nil {
            current = pid
            attached = pid
        }
        treeCache.invalidate()
    }

    /// Shows a traced process's threads: an attached one, or a followed child.
    public mutating func show(_ pid: Int32) {
        current = pid
        if roots.contains(pid) { attached = pid }
    }

    /// Takes `pid` out of the session (detached or gone): the shown process
    /// moves to the attached one shown last, else the first left. Returns
    /// what is shown now; nil when no process is left.
    @discardableResult
    public mutating func remove(_ pid: Int32) -> Int32? {
        roots.removeAll { $0 == pid }
        if attached == pid { attached = roots.first }
        if current == pid || roots.isEmpty { current = attached }
        treeCache.invalidate()
        return current
    }

    /// Forgets every process: the session is over.
    public mutating func detach() {
        roots = []
        attached = nil
        current = nil
    }

    public mutating func react(to event: EngineEvent) -> Reaction {
        switch event {
        case .processExited(let pid, let status):
            exited[pid] = status.description
            treeCache.invalidate()
            let message = "pid \(pid) \(status)"
            if roots.contains(pid) {
                remove(pid)
                return roots.isEmpty ? .targetGone(pid: pid, message: message) : .rootGone(pid: pid, message: message)
            }
            guard pid == current else { return .none }
            current = attached
            return .refreshNow
        case .processForked, .processExecuted:
            treeCache.invalidate()
            return .refreshSoon
        case .threadCreated, .parkedAtPoint:
            return .refreshSoon
        case .threadExited, .signalPassedOn:
            return .none
        case .heldAtBirth, .heldAtExec, .heldAtSignal:
            return .refreshSoon
        case .detachedAtExec:
            treeCache.invalidate()
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
        guard !roots.isEmpty else { return [] }
        let tree = treeCache.tree(now: now) { ProcessTree(listing()) }
        var stats: [Int32: TaskStat] = [:]
        for member in ProcessTreeRows.members(tree, roots: roots) { stats[member.pid] = procfs.stat(member.pid) }
        let cpuPercent = processCPU.percentages(stats.mapValues { $0.userTicks + $0.systemTicks }, now: now)
        return ProcessTreeRows.make(
            tree, roots: roots, current: current, traced: traced, heldAtBirth: heldAtBirth, exited: exited,
            stats: stats, cpuPercent: cpuPercent, heldThreads: heldThreads)
    }
}
