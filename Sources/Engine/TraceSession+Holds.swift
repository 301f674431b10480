import CPtrace
#if canImport(Glibc)
import Glibc
#endif

extension TraceSession {
    // MARK: Hold new threads and children at birth

    /// Turns following forks and holding new threads and children on or off.
    /// Options can only be changed on a stopped tracee, so the process is
    /// stopped briefly.
    func setHoldNew(_ pid: Int32, _ on: Bool) throws(EngineError) {
        guard processes[pid] != nil else { throw .notAttached(pid: pid) }
        let stragglers = Set(stopAll(pid))
        let options = on ? PtraceOptions.threads | PtraceOptions.forks : PtraceOptions.threads
        for tid in tids(of: pid) where !stragglers.contains(tid) {
            _ = lwp_ptrace_setoptions(tid, options)
        }
        setHoldNewFlag(pid, on)
        resumeAll(pid)
    }

    /// Held-at-birth tasks, with the process each belongs to.
    func heldAtBirth() -> [(tid: Int32, pid: Int32)] {
        tracees.values.filter(\.heldAtBirth).map { ($0.tid, $0.processID) }.sorted { $0.tid < $1.tid }
    }

    /// Lets a held-at-birth thread (or a child's main thread) run.
    func releaseHeld(_ tid: Int32) -> Bool {
        guard tracees[tid]?.heldAtBirth == true else { return false }
        tracees[tid]?.heldAtBirth = false
        if tracees[tid]?.isStopped == true, tracees[tid]?.keepStopped == false { resume(tid) }
        return true
    }

    // MARK: Single-stepping

    /// Executes one instruction of a stopped thread; returns its new pc, or nil
    /// if it vanished or did not stop again in time.
    func singleStep(_ tid: Int32) -> UInt64? {
        guard let tracee = tracees[tid], tracee.isStopped else { return nil }
        tracees[tid]?.isStepping = true
        do {
            try Ptrace.singleStep(tid)
        } catch {
            tracees[tid]?.isStepping = false
            return nil
        }
        tracees[tid]?.isStopped = false
        guard waitUntilStopped(tid) else { return nil }
        return registers(of: tid)?.pc
    }
}
