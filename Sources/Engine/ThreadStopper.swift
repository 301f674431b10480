#if canImport(Glibc)
import Glibc
#endif

/// Stops threads and lets them go again: interrupt, wait for each stop,
/// resume or detach. Callers go through `TraceSession.whileStopped`, which
/// always ends what it starts.
struct ThreadStopper {
    let store: TraceeStore
    let events: TraceEventHandler
    /// How long to wait for every thread to reach a ptrace-stop.
    let deadlineMicroseconds: Int

    /// Interrupts every thread of `pid` and waits until each is in a ptrace-stop
    /// or the deadline passes. Returns the threads that did not stop.
    /// - onStop: called for each thread as its stop is collected, so work on
    ///   it (reading its registers) fills the wait for the others.
    func stopAll(_ pid: Int32, onStop: (Int32) -> Void = { _ in }) -> [Int32] {
        let started = MonotonicClock.microseconds()
        RealtimePriority.during {
            for tid in store.tids(of: pid) { store.apply(.interrupt, to: tid) }
        }
        let interruptsSent = MonotonicClock.microseconds()
        let deadline = interruptsSent + deadlineMicroseconds
        defer { EngineLog.write("stopAll \(pid): interrupts sent in \(interruptsSent - started) µs, waited \(MonotonicClock.microseconds() - interruptsSent) µs for stops") }
        // Waits on each thread by its tid: waitpid(-1) scans every tracee per
        // call, which made a stop of n threads cost n² in the kernel
        // (400 ms at 4,000 threads); waitpid(tid) is a direct lookup.
        // Threads stop in about the order they were interrupted, so taking
        // them in that order rarely waits on one while others are ready.
        var waiting = notStopped(of: pid)
        var next = 0
        store.newTracees.removeAll()
        store.structureChanged = false
        var idleRounds = 0
        while next < waiting.count {
            let tid = waiting[next]
            guard store.tracees[tid]?.isStopped == false else {
                next += 1
                continue
            }
            var progressed = false
            if events.collectOneEvent(of: tid) {
                progressed = true
                if store.tracees[tid]?.isStopped == true { onStop(tid) }
            } else {
                idleRounds += 1
                // Now and then, one of everyone's events: a killed process's
                // leader reports its exit only once all its other threads are
                // reaped, so waiting on it alone would wait for ever. One, not
                // all: each waitpid(-1) scans every tracee, and the stops of
                // the threads still waited on are collected faster by tid.
                if idleRounds % Self.roundsBetweenGeneralLooks == 0, events.collectOneEvent() != nil { progressed = true }
            }
            if progressed {
                idleRounds = 0
                // Clones and forks seen on the way join the wait; an exec or
                // the leader's exit removed threads without their own events.
                waiting += store.newTracees.filter { store.tracees[$0]?.processID == pid && store.tracees[$0]?.isStopped == false }
                store.newTracees.removeAll()
                if store.structureChanged {
                    store.structureChanged = false
                    waiting = notStopped(of: pid)
                    next = 0
                }
                continue
            }
            if MonotonicClock.microseconds() > deadline { break }
            Self.pause(afterIdleRounds: idleRounds)
        }
        // Past the deadline: one last look at each thread still missing.
        for tid in waiting[next...] where store.tracees[tid]?.isStopped == false {
            _ = events.collectOneEvent(of: tid)
        }
        // A thread that vanished without an exit status is not a straggler.
        return notStopped(of: pid).filter { tid in
            if store.threadIsAlive(pid, tid) { return true }
            store.tracees[tid] = nil
            return false
        }
    }

    private func notStopped(of pid: Int32) -> [Int32] {
        store.tids(of: pid).filter { store.tracees[$0]?.isStopped == false }
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
        guard store.apply(.interrupt, to: tid) else { return false }
        return waitUntilStopped(tid)
    }

    /// Collects events until `tid` reports a stop; false if it exited or the
    /// deadline passed first.
    func waitUntilStopped(_ tid: Int32) -> Bool {
        let deadline = MonotonicClock.microseconds() + deadlineMicroseconds
        var idleRounds = 0
        while let current = store.tracees[tid], !current.isStopped {
            if events.collectOneEvent(of: tid) { idleRounds = 0; continue }
            if MonotonicClock.microseconds() > deadline { return false }
            idleRounds += 1
            // Others' events (a signal caught while running) must not wait
            // long for us, but a general look costs a scan of every tracee.
            if idleRounds % Self.roundsBetweenGeneralLooks == 0 { events.collectOneEvent() }
            Self.pause(afterIdleRounds: idleRounds)
        }
        return store.tracees[tid]?.isStopped == true
    }

    /// Ends a stop: each thread resumed (a caught signal passed on, a
    /// group-stopped one left listening), or let go.
    func end(_ scope: StopScope, _ ending: StopEnding) {
        let input: TraceeInput = ending == .detach ? .detach : .resume
        switch scope {
        case .thread(let tid):
            store.apply(input, to: tid)
        case .process(let pid):
            for tid in store.tids(of: pid) { store.apply(input, to: tid) }
            if ending == .detach { store.processes[pid] = nil }
        }
    }

    func registers(of tid: Int32) -> ThreadRegisters? {
        guard store.tracees[tid]?.isStopped == true else { return nil }
        return try? Ptrace.registers(tid)
    }
}
