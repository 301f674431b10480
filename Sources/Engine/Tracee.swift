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
}

/// A process with at least one traced thread.
struct TracedProcess {
    let pid: Int32
    var command: String
}
