import Engine

/// How many threads of each process are held, for pane 1: held at birth or
/// parked at a hold point (the engine knows, for every traced process) or on
/// a hold flag (the hold survey knows, for the process shown). A thread counts once.
public enum HeldThreadCounts {
    /// - heldAtBirth: the engine's `heldAtBirth()`.
    /// - heldOnFlags: the threads the survey of `surveyed` found held (`ThreadFeed.survey?.heldBy.keys`).
    public static func perProcess(
        heldAtBirth: [(tid: Int32, pid: Int32)], parked: [ParkedThread] = [], heldOnFlags: some Sequence<Int32> = [Int32](), of surveyed: Int32? = nil
    ) -> [Int32: Int] {
        var held: [Int32: Set<Int32>] = [:]
        for thread in heldAtBirth { held[thread.pid, default: []].insert(thread.tid) }
        for thread in parked { held[thread.pid, default: []].insert(thread.tid) }
        if let surveyed {
            for tid in heldOnFlags { held[surveyed, default: []].insert(tid) }
        }
        return held.mapValues(\.count)
    }
}
