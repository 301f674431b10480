/// What one traced thread is doing, as far as the engine has seen.
///
/// Every change goes through `TraceeTransitions`; nothing else writes it.
enum TraceeState: Equatable, Sendable {
    /// Running, or on its way to a stop not collected yet (a new thread
    /// before its first stop, a thread we have just interrupted).
    case running
    /// Running one instruction for us: its next SIGTRAP is the step, not a signal.
    case stepping(owing: StepDebt)
    /// Group-stopped (SIGSTOP and friends) and let go with PTRACE_LISTEN:
    /// stopped to the user but not in a ptrace-stop, so only an interrupt
    /// makes its registers readable again.
    case listening
    /// In a ptrace-stop we collected: registers readable, and it runs again
    /// only when we restart it.
    case stopped(TraceeStop)
    /// Kept stopped whatever else happens until released. `stop` is nil
    /// until its first stop is collected (a thread held at birth is held
    /// from the clone event that announced it).
    case held(HoldReason, stop: TraceeStop?)

    /// The ptrace-stop it is in, if we collected one.
    var stop: TraceeStop? {
        switch self {
        case .stopped(let stop): stop
        case .held(_, let stop): stop
        case .running, .stepping, .listening: nil
        }
    }

    var isStepping: Bool {
        if case .stepping = self { true } else { false }
    }

    var isHeld: Bool {
        if case .held = self { true } else { false }
    }

    func isHeld(for reason: HoldReason) -> Bool {
        if case .held(reason, _) = self { true } else { false }
    }

    /// Stopped for the user by a stop signal, whether or not it is in a
    /// ptrace-stop of ours right now.
    var isGroupStopped: Bool {
        self == .listening || stop?.isGroupStop == true
    }

    /// The same hold (if any) around a newly collected stop.
    func reporting(_ stop: TraceeStop) -> TraceeState {
        if case .held(let reason, _) = self { return .held(reason, stop: stop) }
        return .stopped(stop)
    }
}

/// Why a thread is in a ptrace-stop.
enum TraceeStop: Equatable, Sendable {
    /// PTRACE_EVENT_STOP after our PTRACE_INTERRUPT (a new thread's first
    /// stop looks the same).
    case interrupted
    /// PTRACE_EVENT_STOP in a group-stop: the user stopped the process with `signal`.
    case groupStop(signal: Int32)
    /// Signal-delivery-stop: the signal is passed on when it resumes.
    case signal(Int32)
    /// Our single-step's trap, with whatever the stop it was stepped out of still owes.
    case stepped(owing: StepDebt)
    /// A ptrace event: clone, fork, vfork, exec.
    case event(PtraceEvent)
    /// It ran a hold point's trap byte. Its pc already points at the point's
    /// displaced copy and the SIGTRAP was consumed when we collected the
    /// stop, so resuming it (we, or the kernel if we die) runs on correctly.
    case pointTrap

    var isGroupStop: Bool {
        switch self {
        case .groupStop, .stepped(owing: .groupStop): true
        default: false
        }
    }

    /// The signal PTRACE_CONT or PTRACE_DETACH must deliver so the thread
    /// loses nothing it caught. (A group-stopped thread needs none: the
    /// kernel puts it back into its stop when we let go.)
    var signalToPassOn: Int32 {
        switch self {
        case .signal(let signal), .stepped(owing: .signal(let signal)): signal
        default: 0
        }
    }

    /// What stepping out of this stop leaves owing when the thread resumes.
    var debtAcrossStep: StepDebt {
        switch self {
        case .interrupted, .event, .pointTrap: .nothing
        case .groupStop: .groupStop
        case .signal(let signal): .signal(signal)
        case .stepped(let owing): owing
        }
    }
}

/// What a thread single-stepped out of a stop still owes when it resumes:
/// a step passes on no signal, and a thread stepped out of a group-stop
/// must go back into it rather than run behind the user's back.
enum StepDebt: Equatable, Sendable {
    case nothing
    case signal(Int32)
    case groupStop
}

/// Why a thread is held.
enum HoldReason: Equatable, Sendable {
    /// Born (clone, fork, vfork) while hold-new was on.
    case birth
    /// Parked at hold point `id` (see `HoldPointSpec`).
    case point(Int)
    /// Stopped at its exec event, before the new program's first
    /// instruction, because an exec rule matched it (`--execs`).
    case exec
    /// Stopped at its exec event while its hold points are set again in
    /// the new image (not the user's: the placer lets it go).
    case pointsAfterExec
    /// `launch` with `holdAtStart`: at the exec of the program asked for.
    case start
    /// At the delivery of a signal that would kill it (SIGSEGV and the
    /// like, with no handler): released, the signal is delivered.
    case signal(Int32)
}

/// What the engine wants of a thread beside what it is doing: whether its
/// next stop is resumed, kept, or the end of our tracing it.
enum TraceeIntent: Equatable, Sendable {
    /// Let it run: each stop it reports is resumed (a caught signal passed on).
    case letRun
    /// Part of a stop in progress: stays stopped until the stop ends.
    case keepStopped
    /// Being let go: detached at its next stop (it could not be stopped when we detached).
    case detachWhenStopped
}

/// The ptrace events the engine asks for (PTRACE_O_TRACECLONE and friends).
enum PtraceEvent: Equatable, Sendable {
    case clone
    case fork
    case vfork
    case exec
    /// One we did not ask for (vfork-done, exit): stopped, nothing to do.
    case other(Int32)
}
