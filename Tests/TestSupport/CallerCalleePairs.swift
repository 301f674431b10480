/// The acceptance measure for Go builds without DWARF: every adjacent pair
/// of frame names (callee, caller) a thread shows must also occur in the
/// reference build's backtraces. A lost frame (runtime.futexsleep between
/// runtime.futex and runtime.notesleep) makes a pair the reference never has;
/// a wrong name or a wrong caller does too. Inline frames count as frames,
/// since DWARF and the pclntab both record them.
public struct CallerCalleePairs: Sendable, Equatable {
    public struct Pair: Hashable, Sendable, CustomStringConvertible, Comparable {
        public var callee: String
        public var caller: String

        public init(callee: String, caller: String) {
            self.callee = callee
            self.caller = caller
        }

        public var description: String { "\(callee) <- \(caller)" }
        public static func < (a: Pair, b: Pair) -> Bool { (a.callee, a.caller) < (b.callee, b.caller) }
    }

    public private(set) var pairs: Set<Pair> = []
    /// Frames with no function name, as `thread/index` for the message.
    public private(set) var unnamed: [String] = []

    public init() {}

    public init(_ threads: [DumpThread]) {
        for thread in threads { add(thread) }
    }

    public mutating func add(_ thread: DumpThread) {
        for frame in thread.frames where frame.function == nil { unnamed.append("\(thread.tid)#\(frame.index)") }
        for (callee, caller) in zip(thread.frames, thread.frames.dropFirst()) {
            // An unnamed frame is reported as such, not as a pair.
            guard let calleeName = callee.function, let callerName = caller.function else { continue }
            pairs.insert(Pair(callee: calleeName, caller: callerName))
        }
    }

    public mutating func formUnion(_ other: CallerCalleePairs) {
        pairs.formUnion(other.pairs)
        unnamed += other.unnamed
    }

    /// How many of these pairs the reference has too, and the ones it lacks.
    public func agreement(with reference: CallerCalleePairs) -> (agreed: Int, total: Int, missing: [Pair]) {
        let missing = pairs.subtracting(reference.pairs).sorted()
        return (pairs.count - missing.count, pairs.count, missing)
    }
}
