import DWARF
import Synchronization

/// What reading arguments finds that depends only on an address, not on a
/// thread: a callee's names and start, the symbol a pointer points into.
/// One per snapshot, shared by the threads unwound in parallel, since a
/// thousand threads parked in one place ask the same few questions.
final class ArgumentFacts: Sendable {
    private let identities = Mutex<[UInt64: CalleeIdentity?]>([:])
    private let symbolNames = Mutex<[UInt64: String?]>([:])
    /// Enough for every address of a large process; a bound against pointers by the million.
    static let limit = 1 << 16

    /// The identity of the function holding runtime address `lookup`.
    func identity(at lookup: UInt64, compute: () -> CalleeIdentity?) -> CalleeIdentity? {
        Self.remembered(identities, lookup, compute)
    }

    /// `name` or `name+off` for a pointer's value.
    func symbolName(at address: UInt64, compute: () -> String?) -> String? {
        Self.remembered(symbolNames, address, compute)
    }

    private static func remembered<Value: Sendable>(_ table: borrowing Mutex<[UInt64: Value?]>, _ key: UInt64,
                                                    _ compute: () -> Value?) -> Value? {
        if let known = table.withLock({ $0[key] }) { return known }
        let found = compute()
        table.withLock { entries in
            if entries.count >= limit { entries.removeAll(keepingCapacity: true) }
            entries[key] = .some(found)
        }
        return found
    }
}
