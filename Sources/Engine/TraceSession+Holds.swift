extension TraceSession {
    // MARK: Hold new threads and children at birth

    /// Turns following forks and holding new threads and children on or off.
    /// Options can only be changed on a stopped tracee, so the process is
    /// stopped briefly.
    func setHoldNew(_ pid: Int32, _ on: Bool) throws(EngineError) {
        guard store.processes[pid] != nil else { throw .notAttached(pid: pid) }
        // Hold points need forks followed whatever hold-new says (a child carries the trap bytes).
        let followForks = on || store.points[pid] != nil
        let options = followForks ? PtraceOptions.threads | PtraceOptions.forks : PtraceOptions.threads
        whileStopped(.process(pid)) { stop in
            for tid in store.tids(of: pid) where stop.didStop(tid) {
                try? Ptrace.setOptions(tid, options)
            }
            store.processes[pid]?.holdNew = on
        }
    }

    /// Held-at-birth tasks, with the process each belongs to.
    func heldAtBirth() -> [(tid: Int32, pid: Int32)] {
        store.tracees.values.filter { $0.state.isHeld(for: .birth) }.map { ($0.tid, $0.processID) }.sorted { $0.tid < $1.tid }
    }

    func isHeld(_ tid: Int32) -> Bool { store.tracees[tid]?.state.isHeld == true }

    /// Lets a held-at-birth thread (or a child's main thread) run.
    /// False if it was not held.
    func releaseHeld(_ tid: Int32) -> Bool {
        guard let state = store.tracees[tid]?.state, state.isHeld(for: .birth) || state.isHeld(for: .exec) else { return false }
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
