import CPtrace
#if canImport(Glibc)
import Glibc
#endif

/// A waitpid status decoded into what happened to the thread.
///
/// Whether a SIGTRAP is our own single-step cannot be told from the status
/// alone; `TraceeTransitions` decides that from the thread's state.
enum TraceeObservation: Equatable, Sendable {
    /// PTRACE_EVENT_STOP without a stop signal: our interrupt, or a new thread's first stop.
    case interruptStop
    /// PTRACE_EVENT_STOP with a stop signal: the process is group-stopped.
    case groupStop(signal: Int32)
    /// Signal-delivery-stop.
    case signalDelivery(Int32)
    /// A ptrace event stop (clone, fork, vfork, exec, ...).
    case event(PtraceEvent)
    /// Gone: exited or killed. Traced zombies are reaped only with __WALL.
    case exited(TerminationStatus)
    /// A SIGTRAP from a hold point's trap byte (the event handler tells it
    /// from other traps by the pc); parked when `hold` is given, else it
    /// runs on through the point.
    case trapAtPoint(hold: HoldReason?)

    /// The signals that stop a process for its user.
    static let stopSignals: Set<Int32> = [SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU]

    /// nil for a status that is neither a stop nor an end (WIFCONTINUED).
    init?(waitStatus status: Int32) {
        if lwp_wifexited(status) != 0 {
            self = .exited(.exited(code: lwp_wexitstatus(status)))
            return
        }
        if lwp_wifsignaled(status) != 0 {
            self = .exited(.killed(signal: lwp_wtermsig(status)))
            return
        }
        guard lwp_wifstopped(status) != 0 else { return nil }
        let signal = lwp_wstopsig(status)
        switch Int(lwp_wptrace_event(status)) {
        case 0: self = .signalDelivery(signal)
        case LWP_PTRACE_EVENT_STOP:
            self = Self.stopSignals.contains(signal) ? .groupStop(signal: signal) : .interruptStop
        case LWP_PTRACE_EVENT_CLONE: self = .event(.clone)
        case LWP_PTRACE_EVENT_FORK: self = .event(.fork)
        case LWP_PTRACE_EVENT_VFORK: self = .event(.vfork)
        case LWP_PTRACE_EVENT_EXEC: self = .event(.exec)
        case let other: self = .event(.other(Int32(other)))
        }
    }
}
