import CPtrace
import ProcFS
#if canImport(Glibc)
import Glibc
#endif

/// The engine's state and every ptrace call it makes.
///
/// Confined to the engine thread: `TraceEngine` only calls it from jobs on its
/// `DedicatedThreadExecutor`, and the executor's idle handler runs there too.
/// That confinement is why it can be `@unchecked Sendable`.
final class TraceSession: @unchecked Sendable {
    let procfs: ProcFS
    var tracees: [Int32: Tracee] = [:]
    private(set) var processes: [Int32: TracedProcess] = [:]
    /// Tracees added since the last look (clone, fork, adoption): a stop in
    /// progress must wait for them too.
    var newTracees: [Int32] = []
    /// Set when an exec or an exit removed tracees without their own events.
    var structureChanged = false
    /// How traced processes ended, so a later request can say so.
    private(set) var exitedProcesses: [Int32: TerminationStatus] = [:]
    /// How long to wait for every thread to reach a ptrace-stop.
    var stopDeadlineMicroseconds = 2_000_000
    var onEvent: (EngineEvent) -> Void = { _ in }

    init(procfs: ProcFS) {
        self.procfs = procfs
    }

    var hasTracees: Bool { !tracees.isEmpty }

    func tids(of pid: Int32) -> [Int32] {
        tracees.values.filter { $0.processID == pid }.map(\.tid).sorted()
    }

    // MARK: Attach

    /// Seizes every thread of `pid`, re-listing /proc/PID/task until two passes
    /// agree; threads born meanwhile are caught by PTRACE_O_TRACECLONE.
    func attach(_ requested: Int32) throws(EngineError) -> Int32 {
        let preflight = AttachPreflight(procfs: procfs)
        EngineLog.write("attach \(requested): preflight")
        let pid = try preflight.check(requested)
        let started = MonotonicClock.microseconds()
        EngineLog.write("attach \(pid): seizing")
        defer { EngineLog.write("attach \(pid): \(tids(of: pid).count) threads in \(MonotonicClock.microseconds() - started) µs") }
        if processes[pid] != nil { return pid }
        exitedProcesses[pid] = nil
        let command = procfs.commandLine(pid).map { $0.joined(separator: " ") }.flatMap { $0.isEmpty ? nil : $0 }
            ?? procfs.stat(pid)?.name ?? ""
        processes[pid] = TracedProcess(pid: pid, command: command)
        var previous: [Int32] = []
        for _ in 0..<1000 {
            guard let listed = procfs.threadIDs(pid), !listed.isEmpty else {
                if tids(of: pid).isEmpty {
                    processes[pid] = nil
                    throw .noSuchProcess(pid: pid)
                }
                break
            }
            // The leader first: tids wrap around, so a dying thread can be
            // listed before it, and only the leader's refusal is the process's.
            let order = listed.contains(pid) ? [pid] + listed.filter { $0 != pid } : listed
            for tid in order where tracees[tid] == nil {
                do {
                    try Ptrace.seize(tid, options: PtraceOptions.threads)
                    tracees[tid] = Tracee(tid: tid, processID: pid)
                } catch where error.isNoSuchProcess {
                    continue  // exited between listing and seize
                } catch where error.isPermissionDenied {
                    EngineLog.write("seize \(tid) of \(pid): EPERM; ours so far: \(tids(of: pid).count)")
                    // Other threads may be exiting (a dying thread refuses), or be
                    // ours already via TRACECLONE with their first stop not yet
                    // collected. The leader's refusal is the process's.
                    // A leader that called pthread_exit is a zombie while its threads run on.
                    if tid == pid, procfs.stat(pid)?.state == .zombie { continue }
                    if tid == pid, tids(of: pid).isEmpty {
                        if preflight.isUntracedSoon(tid) { continue }
                        processes[pid] = nil
                        throw preflight.explainPermissionFailure(pid)
                    }
                } catch {
                    if tid == pid, tids(of: pid).isEmpty {
                        processes[pid] = nil
                        throw .system(pid: pid, error)
                    }
                }
            }
            collectEvents()
            if listed == previous { break }
            previous = listed
        }
        if tids(of: pid).isEmpty {
            EngineLog.write("attach \(pid): no thread seized")
            processes[pid] = nil
            throw procfs.exists(pid) ? preflight.explainPermissionFailure(pid) : .noSuchProcess(pid: pid)
        }
        return pid
    }

    // MARK: Stop and resume

    /// Interrupts every thread of `pid` and waits until each is in a ptrace-stop
    /// or the deadline passes. Returns the threads that did not stop.
    /// - onStop: called for each thread as its stop is collected, so work on
    ///   it (reading its registers) fills the wait for the others.
    func stopAll(_ pid: Int32, onStop: (Int32) -> Void = { _ in }) -> [Int32] {
        let started = MonotonicClock.microseconds()
        RealtimePriority.during { interruptAll(pid) }
        let interruptsSent = MonotonicClock.microseconds()
        let deadline = interruptsSent + stopDeadlineMicroseconds
        defer { EngineLog.write("stopAll \(pid): interrupts sent in \(interruptsSent - started) µs, waited \(MonotonicClock.microseconds() - interruptsSent) µs for stops") }
        // Waits on each thread by its tid: waitpid(-1) scans every tracee per
        // call, which made a stop of n threads cost n² in the kernel
        // (400 ms at 4,000 threads); waitpid(tid) is a direct lookup.
        // Threads stop in about the order they were interrupted, so taking
        // them in that order rarely waits on one while others are ready.
        var waiting = tids(of: pid).filter { tracees[$0]?.isStopped == false }
        var next = 0
        newTracees.removeAll()
        structureChanged = false
        var idleRounds = 0
        while next < waiting.count {
            let tid = waiting[next]
            guard tracees[tid]?.isStopped == false else {
                next += 1
                continue
            }
            var progressed = false
            if collectOneEvent(of: tid) {
                progressed = true
                if tracees[tid]?.isStopped == true { onStop(tid) }
            } else {
                idleRounds += 1
                // Now and then, everyone's events: a killed process's leader
                // reports its exit only once all its other threads are reaped,
                // so waiting on it alone would wait for ever.
                if idleRounds % Self.roundsBetweenGeneralLooks == 0, collectEvents() { progressed = true }
            }
            if progressed {
                idleRounds = 0
                // Clones and forks seen on the way join the wait; an exec or
                // the leader's exit removed threads without their own events.
                waiting += newTracees.filter { tracees[$0]?.processID == pid && tracees[$0]?.isStopped == false }
                newTracees.removeAll()
                if structureChanged {
                    structureChanged = false
                    waiting = tids(of: pid).filter { tracees[$0]?.isStopped == false }
                    next = 0
                }
                continue
            }
            if MonotonicClock.microseconds() > deadline { break }
            Self.pause(afterIdleRounds: idleRounds)
        }
        // Past the deadline: one last look at each thread still missing.
        for tid in waiting[next...] where tracees[tid]?.isStopped == false {
            _ = collectOneEvent(of: tid)
        }
        let stragglers = tids(of: pid).filter { tracees[$0]?.isStopped == false }
        // A thread that vanished without an exit status is not a straggler.
        return stragglers.filter { tid in
            if threadIsAlive(pid, tid) { return true }
            tracees[tid] = nil
            return false
        }
    }

    /// PTRACE_INTERRUPT to every thread of `pid` not already in a fresh stop.
    private func interruptAll(_ pid: Int32) {
        for tid in tids(of: pid) {
            tracees[tid]?.keepStopped = true
            guard let tracee = tracees[tid] else { continue }
            // A group-stopped (listening) thread must be interrupted too: only a
            // fresh trap makes its registers readable.
            if !tracee.isStopped || tracee.isGroupStopped {
                tracees[tid]?.isStopped = false
                do {
                    try Ptrace.interrupt(tid)
                } catch {
                    // ESRCH: it is exiting; its exit status will arrive.
                    if !threadIsAlive(pid, tid) { tracees[tid] = nil }
                }
            }
        }
    }

    /// While waiting on one thread, how often to look at everyone's events
    /// (waitpid(-1), which scans every tracee).
    private static let roundsBetweenGeneralLooks = 32

    /// Yields for the first idle rounds of a wait, then sleeps briefly.
    private static func pause(afterIdleRounds rounds: Int) {
        if rounds > 50 { MonotonicClock.sleep(microseconds: 20) } else { sched_yield() }
    }

    /// Stops one thread and waits for it; the others run on. False if it did
    /// not stop before the deadline (or exited).
    func stopOne(_ tid: Int32) -> Bool {
        guard let tracee = tracees[tid] else { return false }
        tracees[tid]?.keepStopped = true
        if !tracee.isStopped || tracee.isGroupStopped {
            tracees[tid]?.isStopped = false
            do { try Ptrace.interrupt(tid) } catch {
                if !threadIsAlive(tracee.processID, tid) { tracees[tid] = nil }
                return false
            }
        }
        return waitUntilStopped(tid)
    }

    /// Collects events until `tid` reports a stop; false if it exited or the
    /// deadline passed first.
    func waitUntilStopped(_ tid: Int32) -> Bool {
        let deadline = MonotonicClock.microseconds() + stopDeadlineMicroseconds
        var idleRounds = 0
        while let current = tracees[tid], !current.isStopped {
            if collectOneEvent(of: tid) { idleRounds = 0; continue }
            if MonotonicClock.microseconds() > deadline { return false }
            idleRounds += 1
            // Others' events (a signal caught while running) must not wait
            // long for us, but a general look costs a scan of every tracee.
            if idleRounds % Self.roundsBetweenGeneralLooks == 0 { collectEvents() }
            Self.pause(afterIdleRounds: idleRounds)
        }
        return tracees[tid]?.isStopped == true
    }

    /// Detaches one thread if it is stopped; otherwise lets it go when it stops.
    func detachOne(_ tid: Int32) {
        guard let tracee = tracees[tid] else { return }
        if tracee.isStopped {
            _ = try? Ptrace.detach(tid, signal: tracee.pendingSignal)
            tracees[tid] = nil
        } else {
            tracees[tid]?.detachWhenStopped = true
            tracees[tid]?.keepStopped = false
        }
    }

    /// Drops a process whose threads have all been let go.
    func forgetProcess(_ pid: Int32) {
        processes[pid] = nil
    }

    func resumeOne(_ tid: Int32) {
        tracees[tid]?.keepStopped = false
        if tracees[tid]?.isStopped == true { resume(tid) }
    }

    /// Lets every thread of `pid` run again, delivering any signal it caught.
    func resumeAll(_ pid: Int32) {
        for tid in tids(of: pid) {
            tracees[tid]?.keepStopped = false
            if tracees[tid]?.isStopped == true { resume(tid) }
        }
    }

    func resume(_ tid: Int32) {
        guard var tracee = tracees[tid], tracee.isStopped, !tracee.heldAtBirth || tracee.detachWhenStopped else { return }
        do {
            if tracee.detachWhenStopped {
                try Ptrace.detach(tid, signal: tracee.pendingSignal)
                tracees[tid] = nil
                return
            } else if tracee.isGroupStopped {
                try Ptrace.listen(tid)
            } else {
                try Ptrace.resume(tid, signal: tracee.pendingSignal)
                tracee.pendingSignal = 0
            }
            tracee.isStopped = false
            tracees[tid] = tracee
        } catch {
            // ESRCH: killed while stopped; its exit status will follow.
            tracee.isStopped = false
            tracees[tid] = tracee
        }
    }

    func registers(of tid: Int32) -> ThreadRegisters? {
        guard tracees[tid]?.isStopped == true else { return nil }
        return try? Ptrace.registers(tid)
    }

    // MARK: Detach

    /// Stops every thread of `pid` and detaches it, passing on caught signals.
    /// A process the user had stopped stays stopped: the kernel puts a
    /// group-stopped thread back into its stop when we let go.
    func detach(_ pid: Int32) {
        guard processes[pid] != nil else { return }
        _ = stopAll(pid)
        detachStopped(pid)
    }

    /// Detaches every thread of `pid` that is stopped now (held-at-birth ones
    /// too: nothing stays stopped after us). Threads that could not be
    /// stopped (e.g. a vfork parent) are let go as soon as they stop; if we
    /// exit first, the kernel lets them go.
    func detachStopped(_ pid: Int32) {
        for tid in tids(of: pid) { detachOne(tid) }
        processes[pid] = nil
    }

    func detachAll() {
        for pid in processes.keys.sorted() { detach(pid) }
    }

    /// Threads that could not be stopped when we detached are let go as they
    /// stop; wait a while for them before the engine thread ends (after which
    /// the kernel lets them go anyway).
    func finishDetaching(withinMicroseconds limit: Int) {
        let deadline = MonotonicClock.microseconds() + limit
        while !tracees.isEmpty, MonotonicClock.microseconds() < deadline {
            if collectOneEvent() == nil { MonotonicClock.sleep(microseconds: 200) }
        }
    }

    // MARK: Events

    /// Collects every pending ptrace event without blocking.
    /// Returns whether there was any.
    @discardableResult
    func collectEvents() -> Bool {
        var any = false
        while collectOneEvent() != nil { any = true }
        return any
    }

    /// Handles one waitpid result, if there is one. Only this thread's tracees
    /// are seen (__WNOTHREAD), so other engines and the caller's own children
    /// are never reaped here.
    /// Returns the thread it was about, or nil when nothing was pending.
    @discardableResult
    func collectOneEvent() -> Int32? {
        var status: Int32 = 0
        let tid = waitpid(-1, &status, WNOHANG | Int32(LWP_WALL) | Int32(LWP_WNOTHREAD))
        guard tid > 0 else { return nil }
        handle(tid, status: status)
        return tid
    }

    /// Handles `tid`'s pending waitpid result, if it has one. False when it
    /// has none (or is no longer our tracee to wait for).
    func collectOneEvent(of tid: Int32) -> Bool {
        var status: Int32 = 0
        let reported = waitpid(tid, &status, WNOHANG | Int32(LWP_WALL) | Int32(LWP_WNOTHREAD))
        if reported == -1, errno == ECHILD, let tracee = tracees[tid] {
            // No longer ours to wait for: gone without a status (an exec took it).
            tracees[tid] = nil
            if tid == tracee.processID { structureChanged = true }
            return true
        }
        guard reported == tid else { return false }
        handle(tid, status: status)
        return true
    }

    private func handle(_ tid: Int32, status: Int32) {
        EngineLog.write("wait: tid \(tid) status 0x\(String(status, radix: 16))")
        if lwp_wifexited(status) != 0 || lwp_wifsignaled(status) != 0 {
            let exit: TerminationStatus = lwp_wifexited(status) != 0
                ? .exited(code: lwp_wexitstatus(status)) : .killed(signal: lwp_wtermsig(status))
            handleExit(tid, exit)
            return
        }
        guard lwp_wifstopped(status) != 0 else { return }
        if tracees[tid] == nil { adopt(tid) }
        guard var tracee = tracees[tid] else { return }
        let signal = lwp_wstopsig(status)
        tracee.isStopped = true
        switch Int(lwp_wptrace_event(status)) {
        case LWP_PTRACE_EVENT_STOP:
            tracee.isGroupStopped = [SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU].contains(signal)
        case LWP_PTRACE_EVENT_CLONE:
            if let child = try? Ptrace.eventMessage(tid) { adoptClone(Int32(truncatingIfNeeded: child), of: tracee) }
        case LWP_PTRACE_EVENT_FORK, LWP_PTRACE_EVENT_VFORK:
            if let child = try? Ptrace.eventMessage(tid) { adoptFork(Int32(truncatingIfNeeded: child), parent: tracee.processID) }
        case LWP_PTRACE_EVENT_EXEC:
            tracees[tid] = tracee
            handleExec(tid)
            guard let updated = tracees[tid] else { return }
            tracee = updated
        case 0:
            if tracee.isStepping && signal == SIGTRAP {
                tracee.isStepping = false  // our own single-step
            } else {
                // Signal-delivery-stop: hold the signal and pass it on when resuming.
                tracee.pendingSignal = signal
            }
        default:
            break
        }
        tracees[tid] = tracee
        if !tracee.keepStopped { resume(tid) }
    }

    private func handleExit(_ tid: Int32, _ exit: TerminationStatus) {
        guard let tracee = tracees.removeValue(forKey: tid) else { return }
        let pid = tracee.processID
        if tid == pid {
            EngineLog.write("process \(pid) exited: \(exit)")
            for other in tids(of: pid) { tracees[other] = nil }
            structureChanged = true
            processes[pid] = nil
            exitedProcesses[pid] = exit
            onEvent(.processExited(pid: pid, status: exit))
        } else {
            onEvent(.threadExited(pid: pid, tid: tid))
        }
    }

    /// A stop from a thread we have not seen: a new thread or child whose first
    /// stop came before its parent's clone or fork event.
    private func adopt(_ tid: Int32) {
        let processID = procfs.status(tid)?.threadGroupID ?? tid
        if let process = processes[processID] {
            tracees[tid] = Tracee(
                tid: tid, processID: process.pid, keepStopped: anyKeptStopped(process.pid), heldAtBirth: process.holdNew)
            newTracees.append(tid)
            onEvent(.threadCreated(pid: processID, tid: tid))
        } else {
            addChildProcess(tid, parent: procfs.status(tid)?.parentID ?? 0)
        }
    }

    private func adoptClone(_ child: Int32, of parent: Tracee) {
        guard child > 0, tracees[child] == nil else { return }
        let hold = processes[parent.processID]?.holdNew ?? false
        tracees[child] = Tracee(tid: child, processID: parent.processID, keepStopped: parent.keepStopped, heldAtBirth: hold)
        newTracees.append(child)
        onEvent(.threadCreated(pid: parent.processID, tid: child))
    }

    private func adoptFork(_ child: Int32, parent: Int32) {
        guard child > 0, tracees[child] == nil else { return }
        addChildProcess(child, parent: parent)
    }

    /// A child we follow inherits hold-new from its parent, and is itself held
    /// at birth when it is on.
    private func addChildProcess(_ child: Int32, parent: Int32) {
        let command = procfs.commandLine(child)?.joined(separator: " ") ?? ""
        let hold = processes[parent]?.holdNew ?? false
        processes[child] = TracedProcess(pid: child, command: command, parentID: parent, holdNew: hold)
        tracees[child] = Tracee(tid: child, processID: child, heldAtBirth: hold)
        newTracees.append(child)
        onEvent(.processForked(parent: parent, child: child))
    }

    /// After exec only the execing thread survives, now with the process's id.
    private func handleExec(_ tid: Int32) {
        guard let tracee = tracees[tid] else { return }
        let pid = tracee.processID
        for other in tids(of: pid) where other != tid { tracees[other] = nil }
        structureChanged = true
        if tid != pid {
            tracees[tid] = nil
            tracees[pid] = Tracee(tid: pid, processID: pid, isStopped: tracee.isStopped, keepStopped: tracee.keepStopped)
        }
        processes[pid]?.command = procfs.commandLine(pid)?.joined(separator: " ") ?? processes[pid]?.command ?? ""
        onEvent(.processExecuted(pid: pid))
    }

    func setHoldNewFlag(_ pid: Int32, _ on: Bool) {
        processes[pid]?.holdNew = on
    }

    private func anyKeptStopped(_ pid: Int32) -> Bool {
        tracees.values.contains { $0.processID == pid && $0.keepStopped }
    }

    private func threadIsAlive(_ pid: Int32, _ tid: Int32) -> Bool {
        guard let stat = procfs.stat(pid, thread: tid) else { return false }
        return stat.state != .zombie && stat.state != .dead
    }
}
