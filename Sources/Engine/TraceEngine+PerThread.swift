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
        beforeStopping?()
        for (position, tid) in session.tids(of: pid).enumerated() {
            // Events of the threads left running (a signal caught) are looked
            // at now and then; each general look scans every tracee.
            if position % 64 == 63 { session.collectEvents() }
            guard let info = procfs.thread(pid, tid, details: details) else { continue }
            var state = info.state
            if state == .tracingStop, session.tracees[tid]?.isGroupStopped == true { state = .stopped }
            var thread = ThreadSnapshot(
                tid: tid, name: info.name, state: state, lastCPU: info.lastCPU,
                cpuTicks: info.userTicks + info.systemTicks, waitChannel: info.waitChannel,
                syscall: info.syscall, registers: nil, stack: nil, unavailableReason: nil)
            if session.stopOne(tid) {
                // Stopped from the moment we saw it stop: the wait before that
                // is the thread still running its way to the trap. Real-time
                // until it runs again, so nothing preempts us in between.
                let raised = RealtimePriority.raise()
                let start = MonotonicClock.microseconds()
                thread.registers = session.registers(of: tid)
                if let registers = thread.registers {
                    thread.stack = StackCopier.copy(
                        pid: pid, stackPointers: [(tid, registers.sp, registers.threadPointer)], size: stackBytes,
                        mappings: mappings)[tid]
                }
                if detachAfter { session.detachOne(tid) } else { session.resumeOne(tid) }
                longestStop = max(longestStop, MonotonicClock.microseconds() - start)
                RealtimePriority.lower(raised)
            } else {
                if detachAfter { session.detachOne(tid) } else { session.resumeOne(tid) }
                thread.unavailableReason = session.tracees[tid] == nil
                    ? "exited during the snapshot" : "did not stop within \(session.stopDeadlineMicroseconds / 1000) ms"
            }
            if thread.registers == nil, thread.unavailableReason == nil { thread.unavailableReason = "registers unavailable" }
            threads.append(thread)
        }
        if detachAfter {
            // Threads born meanwhile (traced through TRACECLONE) go the same way.
            for tid in session.tids(of: pid) {
                _ = session.stopOne(tid)
                session.detachOne(tid)
            }
            session.forgetProcess(pid)
        }
        updateIdlePolling()
        guard detachAfter || session.processes[pid] != nil else { throw notAttachedError(pid) }
        return ProcessSnapshot(pid: pid, command: process.command, stoppedMicroseconds: longestStop, threads: threads)
    }
}
