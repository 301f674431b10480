import Synchronization

/// A bounded, thread-safe memo of demangled names. Backtraces repeat the same
/// frames constantly, so a small cache saves most of the work.
///
/// Two generations approximate LRU in O(1): new entries go into `recent`;
/// when it fills, it becomes `older` and the previous `older` is dropped.
/// A hit in `older` is promoted, so names in active use survive.
final class DemangleCache: Sendable {
    private struct Generations {
        var recent: [String: String] = [:]
        var older: [String: String] = [:]
    }

    /// Entries per generation; at most twice this many are held.
    let generationCapacity: Int
    private let generations = Mutex(Generations())

    init(capacity: Int) {
        generationCapacity = max(1, capacity / 2)
    }

    func value(for key: String) -> String? {
        generations.withLock { state in
            if let hit = state.recent[key] { return hit }
            guard let hit = state.older[key] else { return nil }
            Self.insert(key, hit, into: &state, capacity: generationCapacity)
            return hit
        }
    }

    func store(_ value: String, for key: String) {
        generations.withLock { state in
            Self.insert(key, value, into: &state, capacity: generationCapacity)
        }
    }

    var count: Int {
        generations.withLock { $0.recent.count + $0.older.count }
    }

    private static func insert(_ key: String, _ value: String, into state: inout Generations, capacity: Int) {
        if state.recent.count >= capacity {
            state.older = state.recent
            state.recent = [:]
            state.recent.reserveCapacity(capacity)
        }
        state.recent[key] = value
    }
}
