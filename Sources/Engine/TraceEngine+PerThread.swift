import ProcFS

extension TraceEngine {
    /// Like `snapshot`, but stops one thread at a time: no thread is stopped
    /// for longer than it takes to read its own registers and stack, at the
    /// price of not seeing one consistent instant. `stoppedMicroseconds` is
    /// the longest any one thread was stopped.
    ///
    /// - detachAfter: let each thread go for good once read, so no thread is
    ///   ever stopped twice (a later detach would stop them all again).
    public func snapshotEachThread(
        _ pid: Int32, stackBytes: Int = 0, detachAfter: Bool = false, details: ThreadDetails = .all,
        beforeStopping: (@Sendable () -> Void)? = nil
    ) throws(EngineError) -> ProcessSnapshot {
        guard let process = session.processes[pid] else { throw notAttachedError(pid) }
        var threads: [ThreadSnapshot] = []
        var longestStop = 0
        let mappings = stackBytes > 0 ? (procfs.mappedRanges(pid) ?? []) : []
        let traced = session.tids(of: pid)
        let copier = StoppedThreadCopier(
            pid: pid, stackBytes: stackBytes, mappings: mappings, expectedThreads: traced.count
        ) { [session] in
            session.registers(of: $0)
        }
        let ending: StopEnding = detachAfter ? .detach : .resume
        beforeStopping?()
        for (position, tid) in traced.enumerated() {
            // Events of the threads left running (a signal caught) are looked
            // at now and then; each general look scans every tracee.
            if position % 64 == 63 { session.collectEvents() }
            guard let info = procfs.thread(pid, tid, details: details) else { continue }
            let groupStopped = session.isGroupStopped(tid)
            // Stopped from the moment we saw it stop: the wait before that is
            // the thread still running its way to the trap. Real-time until it
            // runs again, so nothing preempts us in between.
            let (stopped, timing) = session.timedStop(.thread(tid), ending: ending, realtimeWhileStopped: true) { stop in
                guard stop.didStop(tid) else { return false }
                copier.threadStopped(tid)
                copier.copyStacks()
                return true
            }
            if stopped { longestStop = max(longestStop, timing.ended - timing.allStopped) }
            let unavailable: RegistersUnavailable = stopped ? .unreadable
                : session.isTraced(tid) ? .didNotStop(withinMilliseconds: session.stopDeadlineMicroseconds / 1000)
                : .exitedDuringSnapshot
            threads.append(ThreadSnapshotAssembler.thread(
                tid: tid, info: info, name: info.name, registers: copier.registers[tid], stack: copier.stacks[tid],
                groupStopped: groupStopped, unavailable: unavailable))
        }
        if detachAfter {
            // Threads born meanwhile (traced through TRACECLONE) go the same way.
            for tid in session.tids(of: pid) {
                session.whileStopped(.thread(tid), ending: .detach) { _ in }
            }
            session.forgetProcess(pid)
        }
        updateIdlePolling()
        guard detachAfter || session.processes[pid] != nil else { throw notAttachedError(pid) }
        return ProcessSnapshot(pid: pid, command: process.command, stoppedMicroseconds: longestStop, threads: threads)
    }
}
