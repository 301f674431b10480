import ELF
import Synchronization

/// What a function's parameters are at one pc, read from its DIEs once:
/// names, types, and the location expression that holds there. Frames
/// then only evaluate.
struct ArgumentPlan: Sendable {
    struct Parameter: Sendable {
        var name: String
        var type: ArgumentType?
        var typeName: String
        /// The expression at this pc; nil when none covers it.
        var location: [UInt8]?
        var constant: AttributeValue?
        /// The register the parameter is in at the function's entry, for `name@entry`.
        var entryRegister: Int?
    }

    var parameters: [Parameter]
    var frameBase: [UInt8]?
    var unitOffset: Int
    var addressSize: Int
}

struct ArgumentPlanKey: Hashable, Sendable {
    var die: Int
    var pc: UInt64
    var withEntryValues: Bool
}

/// A call site's parameters: the DW_AT_call_value for each register, and
/// what it calls (origin names, or a target expression).
struct CallSitePlan: Sendable {
    var unitOffset: Int
    var addressSize: Int
    var subprogram: Int
    var frameBase: [UInt8]?
    var values: [Int: [UInt8]]
    var originNames: [String]
    var target: [UInt8]?
}

/// A tail call found for one call site and one callee: the name lookup
/// that finds the jumping function is a scan of the symbol tables.
struct TailCallKey: Hashable, Sendable {
    var returnAddress: UInt64
    var callee: Int
    var calleeStart: UInt64?
}

extension DebugInfo {
    /// What a plan's expressions are evaluated in; the unit's .debug_addr
    /// is looked up only when an operation asks for it (rarely: per frame,
    /// the lookup cost more than the evaluation).
    func locationContext(frame: ArgumentFrame, unitOffset: Int, addressSize: Int, bias: UInt64) -> LocationExpression.Context {
        LocationExpression.Context(frame: frame, frameBase: nil, addressSize: addressSize, addressBias: bias,
                                   addressAtIndex: { [self] index in unit(containing: unitOffset)?.address(index: index, sections) })
    }

    /// Reads `key` from `cache`, or builds it (outside the lock) and keeps it.
    func cached<Key: Hashable & Sendable, Value: Sendable>(_ cache: borrowing Mutex<[Key: Value?]>, _ key: Key,
                                                          build: () -> Value?) -> Value? {
        if let known = cache.withLock({ $0[key] }) { return known }
        let built = build()
        cache.withLock { entries in
            if entries.count >= Self.planCacheLimit { entries.removeAll(keepingCapacity: true) }
            entries[key] = .some(built)
        }
        return built
    }
}
