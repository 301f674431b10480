import Engine
import Holds

/// Why a hold action failed, as one line that says what to do; the same
/// words in `lwpscope hold` and on the inspector's status line.
public enum HoldActionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Attaching or the snapshot failed.
    case engine(EngineError)
    /// A flag could not be read, written, or a thread not let out of its loop.
    case hold(HoldError)
    /// A flag the user named was not found, or is ambiguous.
    case flag(HoldFlagError)
    /// The thread is held neither at birth nor on any hold flag.
    case notHeld(tid: Int32, pid: Int32)

    public var description: String {
        switch self {
        case .engine(let error): error.description
        case .hold(let error): error.description
        case .flag(let error): error.description
        case .notHeld(let tid, let pid):
            "thread \(tid) is not held on any hold flag of pid \(pid); `lwpscope hold \(pid)` lists who is"
        }
    }
}
