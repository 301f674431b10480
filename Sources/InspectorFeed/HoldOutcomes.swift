import Engine
import Holds

/// A flag written: what it was and what it is now.
public struct FlagChange: Sendable, CustomStringConvertible {
    public var flag: HoldFlag
    /// nil when the old value could not be read.
    public var before: UInt64?
    public var after: UInt64

    public init(flag: HoldFlag, before: UInt64?, after: UInt64) {
        self.flag = flag
        self.before = before
        self.after = after
    }

    /// `set hold (server) to 0, was 1`
    public var description: String {
        "set \(flag.displayName) (\(flag.moduleName)) to \(after)" + (before.map { ", was \($0)" } ?? "")
    }
}

/// How a held thread was let go.
public enum ThreadReleaseOutcome: Sendable, CustomStringConvertible {
    /// It was stopped as it was created, and now runs.
    case heldAtBirth(tid: Int32)
    /// It was stepped out of the loop on `flag`, which keeps its value.
    case fromFlag(HoldFlag, ThreadRelease)
    /// It runs on from a hold point, which stays set: it parks again when it comes back.
    case fromPoint(tid: Int32)
    /// It was held at a fatal signal, which it now gets: the process dies as it would have.
    case signalPassed(tid: Int32)

    public var description: String {
        switch self {
        case .heldAtBirth(let tid):
            "released thread \(tid), held at birth"
        case .signalPassed(let tid):
            "passed the signal on to thread \(tid): the process ends as it would have"
        case .fromPoint(let tid):
            "released thread \(tid) from its hold point, which stays set"
        case .fromFlag(let flag, let release):
            "released thread \(release.tid) from \(flag.displayName) after \(release.steps) steps; "
                + "\(flag.displayName) is \(release.flagValueAfter) again"
        }
    }
}
