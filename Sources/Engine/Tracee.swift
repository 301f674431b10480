/// What the engine knows about one traced thread: what it is doing and
/// what we want of it next. Changed only by `TraceeTransitions`.
struct Tracee: Equatable, Sendable {
    let tid: Int32
    let processID: Int32
    var state: TraceeState = .running
    var intent: TraceeIntent = .letRun

    /// In a ptrace-stop we collected with waitpid: its registers can be read.
    var isStopped: Bool { state.stop != nil }
}

/// A process with at least one traced thread.
struct TracedProcess {
    let pid: Int32
    var command: String
    /// The traced process it was forked from, when we followed a fork.
    var parentID: Int32? = nil
    /// New threads and children are held at birth.
    var holdNew = false
}
