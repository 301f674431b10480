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

    /// Pane 1's rows; the system's tree is read again when stale.
    /// - now: seconds on a monotonic clock.
    public mutating func treeRows(
        traced: Set<Int32>, heldAtBirth: Set<Int32>, now: Double, listing: () -> [ProcessSummary]
    ) -> [ProcessTreeRow] {
        guard let root = attached else { return [] }
        let tree = treeCache.tree(now: now) { ProcessTree(listing()) }
        return ProcessTreeRows.make(
            tree, root: root, current: current, traced: traced, heldAtBirth: heldAtBirth, exited: exited)
    }
}
