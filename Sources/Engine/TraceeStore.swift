import Guardian
import ProcFS

/// The traced threads and processes, shared by the attacher, the stopper and
/// the event handler, and the one place a tracee's transitions are carried
/// out with ptrace.
///
/// Confined to the engine thread (see `TraceSession`), hence `@unchecked Sendable`.
final class TraceeStore: @unchecked Sendable {
    let procfs: ProcFS
    var tracees: [Int32: Tracee] = [:]
    var processes: [Int32: TracedProcess] = [:]
    /// How traced processes ended, so a later request can say so.
    var exitedProcesses: [Int32: TerminationStatus] = [:]
    /// Tracees added since the last look (clone, fork, adoption): a stop in
    /// progress must wait for them too.
    var newTracees: [Int32] = []
    /// Set when an exec or an exit removed tracees without their own events.
    var structureChanged = false
    var onEvent: (EngineEvent) -> Void = { _ in }
    /// Hold points set in each process's memory.
    var points: [Int32: PointTable] = [:]
    /// Told of every code patch before it is made (see `GuardianLink`).
    var guardian: GuardianLink?
    /// A process with hold points that execs is held at the exec stop until
    /// released (`releaseHeld`), so its points are set again before the new
    /// program runs. Off unless the caller will release it.
    var holdExecsWithPoints = false
    /// A traced thread about to die of a signal (SIGSEGV and the like, with
    /// no handler) is held at its signal-delivery-stop until passed on.
    var holdFatalSignals = false
    /// When each held thread's hold began, and what the caller is shown of it.
    var holds: [Int32: (since: Double, reason: HeldFor)] = [:]

    init(procfs: ProcFS) {
        self.procfs = procfs
    }

    func tids(of pid: Int32) -> [Int32] {
        tracees.values.filter { $0.processID == pid }.map(\.tid).sorted()
    }

    /// Starts tracking a thread we now trace; held at birth when asked.
    func add(_ tracee: Tracee, heldAtBirth: Bool = false) {
        tracees[tracee.tid] = tracee
        if heldAtBirth { apply(.hold(.birth), to: tracee.tid) }
    }

    /// Some thread of `pid` is part of a stop in progress.
    func anyKeptStopped(_ pid: Int32) -> Bool {
        tracees.values.contains { $0.processID == pid && $0.intent == .keepStopped }
    }

    func threadIsAlive(_ pid: Int32, _ tid: Int32) -> Bool {
        guard let stat = procfs.stat(pid, thread: tid) else { return false }
        return stat.state != .zombie && stat.state != .dead
    }

    /// Keeps `holds` in step with the states: a hold begun is timed, one
    /// ended is forgotten. What it is shown as (an exec's path, a fault
    /// address) the caller may fill in after.
    private func noteHold(_ tid: Int32, before: TraceeState, after: TraceeState?) {
        guard case .held(let reason, _)? = after else {
            holds[tid] = nil
            return
        }
        if case .held(let old, _) = before, old == reason, holds[tid] != nil { return }
        let shown: HeldFor = switch reason {
        case .birth: .birth
        case .point(let id): .point(id)
        case .exec, .pointsAfterExec: .exec(path: "")
        case .start: .start(path: "")
        case .signal(let signal): .signal(signal, address: 0)
        }
        holds[tid] = (MonotonicClock.seconds(), shown)
    }

    /// Moves `tid` by `input` and makes the ptrace request that calls for.
    /// False when the input did not apply or the request failed.
    @discardableResult
    func apply(_ input: TraceeInput, to tid: Int32) -> Bool {
        guard let tracee = tracees[tid], let transition = TraceeTransitions.next(tracee, on: input) else { return false }
        tracees[tid] = transition.tracee
        noteHold(tid, before: tracee.state, after: transition.tracee?.state)
        do {
            switch transition.action {
            case .none: break
            case .interrupt: try Ptrace.interrupt(tid)
            case .resume(let signal): try Ptrace.resume(tid, signal: signal)
            case .listen: try Ptrace.listen(tid)
            case .singleStep: try Ptrace.singleStep(tid)
            case .detach(let signal): try Ptrace.detach(tid, signal: signal)
            case .reenterGroupStop:
                try Ptrace.interrupt(tid)
                try Ptrace.resume(tid, signal: 0)
            }
        } catch {
            switch transition.action {
            case .interrupt:
                // ESRCH: it is exiting; its exit status will arrive.
                if !threadIsAlive(tracee.processID, tid) { tracees[tid] = nil }
            case .singleStep:
                tracees[tid] = tracee  // not restarted: still in its stop
            default:
                break  // ESRCH: killed while stopped; its exit status will follow
            }
            return false
        }
        // The signal that stopped it reaches it now (or, detached, as it goes).
        switch transition.action {
        case .resume(let signal) where signal != 0, .detach(let signal) where signal != 0:
            onEvent(.signalPassedOn(pid: tracee.processID, tid: tid, signal: signal))
        default:
            break
        }
        return true
    }
}
