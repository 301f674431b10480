#if canImport(Glibc)
import Glibc
#endif

/// Something that moves a tracee: what waitpid told us, or what the engine asks.
enum TraceeInput: Equatable, Sendable {
    case observed(TraceeObservation)
    /// A stop begins for it: interrupted unless it is already in a ptrace-stop.
    case interrupt
    /// The stop ends for it: restarted, or let go if it is being detached.
    case resume
    /// One instruction, from a ptrace-stop.
    case singleStep
    case hold(HoldReason)
    case release
    /// Let go now if stopped, else at its next stop.
    case detach
}

/// The ptrace request a transition calls for; `TraceeStore.apply` makes it.
enum TraceeAction: Equatable, Sendable {
    case none
    /// PTRACE_INTERRUPT.
    case interrupt
    /// PTRACE_CONT, delivering `signal` (0: none).
    case resume(signal: Int32)
    /// PTRACE_LISTEN: out of the ptrace-stop, still in the group-stop.
    case listen
    /// PTRACE_SINGLESTEP.
    case singleStep
    /// PTRACE_DETACH, delivering `signal`; the tracee is forgotten.
    case detach(signal: Int32)
    /// PTRACE_INTERRUPT then PTRACE_CONT: a thread stepped out of a
    /// group-stop traps straight back into it (PTRACE_LISTEN works only from
    /// the group-stop itself, not from a step's trap).
    case reenterGroupStop
}

/// A tracee's next state (nil: no longer traced) and the request that gets it there.
struct TraceeTransition: Equatable, Sendable {
    var tracee: Tracee?
    var action: TraceeAction
}

/// Every way a tracee's state and intent change, in one pure function: no
/// ptrace calls here, so each rule is tested without a process.
enum TraceeTransitions {
    /// nil when the input does not apply (a step or release of a thread
    /// that is not stopped or not held): nothing changes.
    static func next(_ tracee: Tracee, on input: TraceeInput) -> TraceeTransition? {
        var next = tracee
        switch input {
        case .observed(.exited):
            return TraceeTransition(tracee: nil, action: .none)

        case .observed(.trapAtPoint(let hold?)):
            next.state = .held(hold, stop: .pointTrap)
            return settle(next)

        case .observed(let observation):
            next.state = tracee.state.reporting(stop(observation, in: tracee.state))
            return settle(next)

        case .interrupt:
            if tracee.intent != .detachWhenStopped { next.intent = .keepStopped }
            return TraceeTransition(tracee: next, action: tracee.state.stop == nil ? .interrupt : .none)

        case .resume:
            if tracee.intent == .detachWhenStopped {
                guard let stop = tracee.state.stop else { return TraceeTransition(tracee: next, action: .none) }
                return TraceeTransition(tracee: nil, action: .detach(signal: stop.signalToPassOn))
            }
            next.intent = .letRun
            guard case .stopped = tracee.state else { return TraceeTransition(tracee: next, action: .none) }
            return restart(next)

        case .singleStep:
            guard case .stopped(let stop) = tracee.state else { return nil }
            next.state = .stepping(owing: stop.debtAcrossStep)
            return TraceeTransition(tracee: next, action: .singleStep)

        case .hold(let reason):
            switch tracee.state {
            case .stepping: return nil
            case _ where tracee.intent == .detachWhenStopped: return nil
            case .running, .listening: next.state = .held(reason, stop: nil)
            case .stopped(let stop), .held(_, let stop?): next.state = .held(reason, stop: stop)
            case .held(_, stop: nil): next.state = .held(reason, stop: nil)
            }
            return TraceeTransition(tracee: next, action: .none)

        case .release:
            guard case .held(_, let stop) = tracee.state else { return nil }
            guard let stop else {
                next.state = .running  // its first stop is settled by its intent when it comes
                return TraceeTransition(tracee: next, action: .none)
            }
            next.state = .stopped(stop)
            return settle(next)

        case .detach:
            guard let stop = tracee.state.stop else {
                next.intent = .detachWhenStopped
                return TraceeTransition(tracee: next, action: .none)
            }
            return TraceeTransition(tracee: nil, action: .detach(signal: stop.signalToPassOn))
        }
    }

    /// What a collected stop is, given what the thread was doing.
    private static func stop(_ observation: TraceeObservation, in state: TraceeState) -> TraceeStop {
        switch observation {
        case .interruptStop: return .interrupted
        case .groupStop(let signal): return .groupStop(signal: signal)
        case .signalDelivery(let signal):
            if signal == SIGTRAP, case .stepping(let owing) = state { return .stepped(owing: owing) }
            return .signal(signal)
        case .event(let event): return .event(event)
        case .trapAtPoint: return .pointTrap
        case .exited: preconditionFailure("an exit is not a stop")
        }
    }

    /// A thread that has just reached a stop (or been released in one): let
    /// go, kept, or restarted, as we want.
    private static func settle(_ tracee: Tracee) -> TraceeTransition {
        guard let stop = tracee.state.stop else { return TraceeTransition(tracee: tracee, action: .none) }
        if tracee.intent == .detachWhenStopped {
            return TraceeTransition(tracee: nil, action: .detach(signal: stop.signalToPassOn))
        }
        if tracee.state.isHeld || tracee.intent == .keepStopped {
            return TraceeTransition(tracee: tracee, action: .none)
        }
        return restart(tracee)
    }

    /// Out of its ptrace-stop, losing nothing: a caught signal passed on, a
    /// group-stopped thread left in its group-stop.
    private static func restart(_ tracee: Tracee) -> TraceeTransition {
        var next = tracee
        switch tracee.state.stop {
        case .groupStop?:
            next.state = .listening
            return TraceeTransition(tracee: next, action: .listen)
        case .stepped(owing: .groupStop)?:
            next.state = .running
            return TraceeTransition(tracee: next, action: .reenterGroupStop)
        case let stop?:
            next.state = .running
            return TraceeTransition(tracee: next, action: .resume(signal: stop.signalToPassOn))
        case nil:
            return TraceeTransition(tracee: next, action: .none)
        }
    }
}
