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
    /// Globs on a new program's path or basename: a traced process that
    /// execs a match is held at the exec (`--execs`). Forked children inherit them.
    var execGlobs: [String] = []
    /// Followed only because an exec rule might match it (births are not
    /// held): let go untouched when it execs a program no rule matches.
    var followedForExecs = false
    /// Started by `launch` and not yet exec'd: its first exec is the start
    /// of the program asked for (held there when `holdAtStart`).
    var launching = false
    var holdAtStart = false
}
