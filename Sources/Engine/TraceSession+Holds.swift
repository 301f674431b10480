#if canImport(Glibc)
import Glibc
#endif

extension TraceSession {
    // MARK: Hold new threads and children at birth

    /// Turns following forks and holding new threads and children on or off.
    /// Options can only be changed on a stopped tracee, so the process is
    /// stopped briefly.
    func setHoldNew(_ pid: Int32, _ on: Bool) throws(EngineError) {
        try setRules(pid, births: on, execs: store.processes[pid]?.execGlobs ?? [])
    }

    /// Births held (hold-new) and exec globs, for `pid` and the children it forks from now on.
    func setRules(_ pid: Int32, births on: Bool, execs: [String]) throws(EngineError) {
        guard store.processes[pid] != nil else { throw .notAttached(pid: pid) }
        store.processes[pid]?.execGlobs = execs
        // Hold points need forks followed whatever hold-new says (a child
        // carries the trap bytes), and so do exec rules (a child may exec a match).
        let followForks = on || !execs.isEmpty || store.points[pid] != nil
        let options = followForks ? PtraceOptions.threads | PtraceOptions.forks : PtraceOptions.threads
        whileStopped(.process(pid)) { stop in
            for tid in store.tids(of: pid) where stop.didStop(tid) {
                try? Ptrace.setOptions(tid, options)
            }
            store.processes[pid]?.holdNew = on
        }
    }

    /// Every held thread, with why and since when.
    func heldTasks() -> [HeldTask] {
        store.tracees.values.compactMap { tracee -> HeldTask? in
            guard case .held(let reason, _) = tracee.state, reason != .pointsAfterExec,
                  let hold = store.holds[tracee.tid] else { return nil }
            return HeldTask(pid: tracee.processID, tid: tracee.tid, reason: hold.reason, since: hold.since)
        }.sorted { $0.tid < $1.tid }
    }

    /// Lets a thread held at a fatal signal go on with it: the process dies
    /// as it would have. False if it was not held so.
    func passSignal(_ tid: Int32) -> Bool {
        guard case .held(.signal, _)? = store.tracees[tid]?.state else { return false }
        store.apply(.release, to: tid)
        return true
    }

    /// Stops every thread of `pid` and keeps them stopped (held at start)
    /// until each is released: `--wait-for`'s hold on the process it caught.
    func holdProcess(_ pid: Int32) {
        let path = store.procfs.executablePath(pid) ?? ""
        whileStopped(.process(pid)) { stop in
            for tid in store.tids(of: pid) where stop.didStop(tid) {
                store.apply(.hold(.start), to: tid)
                store.holds[tid]?.reason = .start(path: path)
            }
        }
    }

    /// Before a hand-off to gdb: threads held at a fatal signal are let go
    /// with SIGSTOP instead at the detach, so the process waits, stopped,
    /// for gdb. Delivered now, the signal would end it before gdb attaches;
    /// as gdb resumes it, the fault happens again (the instruction runs
    /// again; abort() raises again) and gdb sees it. Returns their tids.
    func dropHeldSignals(_ pid: Int32) -> [Int32] {
        var dropped: [Int32] = []
        for tid in store.tids(of: pid) {
            guard case .held(.signal(let signal), .signal?)? = store.tracees[tid]?.state else { continue }
            store.tracees[tid]?.state = .held(.signal(signal), stop: .signal(SIGSTOP))
            dropped.append(tid)
        }
        return dropped
    }

    /// Ends the hold at an exec kept while hold points were set again.
    func releaseAfterPoints(_ pid: Int32) {
        guard store.tracees[pid]?.state.isHeld(for: .pointsAfterExec) == true else { return }
        store.apply(.release, to: pid)
    }

    /// Held-at-birth tasks, with the process each belongs to.
    func heldAtBirth() -> [(tid: Int32, pid: Int32)] {
        store.tracees.values.filter { $0.state.isHeld(for: .birth) }.map { ($0.tid, $0.processID) }.sorted { $0.tid < $1.tid }
    }

    func isHeld(_ tid: Int32) -> Bool { store.tracees[tid]?.state.isHeld == true }

    /// Lets a thread held at birth, at an exec or at its start run.
    /// False if it was not held so (a fatal signal is `passSignal`'s).
    func releaseHeld(_ tid: Int32) -> Bool {
        guard case .held(let reason, _)? = store.tracees[tid]?.state,
              [.birth, .exec, .start].contains(reason) else { return false }
        store.apply(.release, to: tid)
        return true
    }

    // MARK: Single-stepping

    /// Executes one instruction of a stopped thread; returns its new pc, or nil
    /// if it vanished or did not stop again in time.
    func singleStep(_ tid: Int32) -> UInt64? {
        guard store.apply(.singleStep, to: tid), stopper.waitUntilStopped(tid) else { return nil }
        return stopper.registers(of: tid)?.pc
    }
}
