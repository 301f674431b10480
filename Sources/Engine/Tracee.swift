/// What the engine knows about one traced thread.
struct Tracee {
    let tid: Int32
    var processID: Int32
    /// In a ptrace-stop that we have collected with waitpid.
    var isStopped = false
    /// A signal caught in signal-delivery-stop, passed on when we resume.
    var pendingSignal: Int32 = 0
    /// Stopped by SIGSTOP and friends: resumed with PTRACE_LISTEN so it stays stopped.
    var isGroupStopped = false
    /// Kept stopped on purpose (a snapshot in progress): events do not resume it.
    var keepStopped = false
    /// Detach as soon as it stops (it could not be stopped when we detached).
    var detachWhenStopped = false
    /// Born (clone, fork, vfork) while hold-new was on: kept stopped until released.
    var heldAtBirth = false
    /// Single-stepping: the next SIGTRAP is ours, not a signal to pass on.
    var isStepping = false
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
