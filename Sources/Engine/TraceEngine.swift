import Guardian
import ProcFS

/// The ptrace engine: attach, stop, snapshot, detach.
///
/// An actor whose jobs all run on one dedicated OS thread, because ptrace
/// answers only the thread that attached. Callers simply `await` it; nothing
/// here ever blocks the cooperative pool. Call `close()` when done: it detaches
/// from everything and ends the thread. (If lwpscope dies instead, the kernel
/// detaches for us and, since we attach with PTRACE_SEIZE, the target runs on.)
public actor TraceEngine {
    private let executor: DedicatedThreadExecutor
    let session: TraceSession
    /// Whether waitpid(-1) has anything for an idle engine (SIGCHLD counted).
    let childSignals = ChildSignalGate()
    let procfs: ProcFS
    /// The call each thread sat in at its last snapshot (see the type).
    var interruptedSyscalls = InterruptedSyscalls()
    /// Starts the guardian with the first hold point (see `setGuardianLauncher`).
    var guardianLauncher: (@Sendable () throws(GuardianError) -> GuardianLink)?
    public nonisolated let events: AsyncStream<EngineEvent>
    private let eventContinuation: AsyncStream<EngineEvent>.Continuation

    public nonisolated var unownedExecutor: UnownedSerialExecutor {
        executor.asUnownedSerialExecutor()
    }

    /// The kernel tid of the engine's thread (0 once it has ended): the tracer
    /// that /proc shows as TracerPid.
    public nonisolated var threadID: Int32 { executor.runningThreadID }

    public init(procfs: ProcFS = ProcFS()) {
        self.procfs = procfs
        executor = DedicatedThreadExecutor(name: "lwpscope-engine")
        session = TraceSession(procfs: procfs)
        (events, eventContinuation) = AsyncStream.makeStream(of: EngineEvent.self, bufferingPolicy: .bufferingNewest(4096))
        session.onEvent = { [eventContinuation] event in eventContinuation.yield(event) }
    }

    /// Seizes every thread of the process (a thread id stands for its process)
    /// and leaves them running under trace. Returns the process id.
    @discardableResult
    public func attach(_ pid: Int32) throws(EngineError) -> Int32 {
        let processID = try session.attach(pid)
        updateIdlePolling()
        return processID
    }

    public func attachedProcesses() -> [Int32] {
        session.processes.keys.sorted()
    }

    /// Stops every thread at once, reads registers (and `stackBytes` from each
    /// stack pointer, red zone included), and resumes them. /proc details are
    /// read just before the stop, since stopping changes them.
    /// - detachAfter: let go of the process at the end of the stop instead of
    ///   resuming it under trace: what one-shot commands want, and it saves
    ///   stopping everything a second time just to detach.
    /// - details: what to read from /proc per thread besides `stat`.
    /// - beforeStopping: run on the engine thread once /proc is read, just
    ///   before the first thread is stopped (to let other work finish first).
    public func snapshot(
        _ pid: Int32, stackBytes: Int = 0, detachAfter: Bool = false, details: ThreadDetails = .all,
        beforeStopping: (@Sendable () -> Void)? = nil
    ) throws(EngineError) -> ProcessSnapshot {
        guard let process = session.processes[pid] else { throw notAttachedError(pid) }
        let traced = session.tids(of: pid)
        // The stop's registers say what /proc/TID/syscall would: one file
        // fewer per thread, read for a thread only if it gives no registers.
        var threadInfo = procfs.threads(pid, traced, details: details.subtracting(.syscall))
        EngineLog.write("snapshot \(pid): /proc details read")
        // Read before the stop, so the stop stays short; thread stacks do not move.
        let mappings = stackBytes > 0 ? (procfs.mappedRanges(pid) ?? []) : []
        beforeStopping?()
        let copier = StoppedThreadCopier(
            pid: pid, stackBytes: stackBytes, mappings: mappings, expectedThreads: traced.count
        ) { [session] in
            session.registers(of: $0)
        }
        // Everything stopped: the rest is read, copied and let go at
        // real-time priority, not preempted by the threads each resume wakes.
        let ((stragglers, groupStopped, registersRead, stacksCopied), timing) = session.timedStop(
            .process(pid), ending: detachAfter ? .detach : .resume, realtimeWhileStopped: true,
            onStop: { copier.threadStopped($0) }
        ) { stop in
            let current = Set(session.tids(of: pid))
            for tid in current.sorted() where stop.didStop(tid) { copier.threadStopped(tid) }
            let registersRead = MonotonicClock.microseconds()
            copier.copyStacks()
            copier.keepOnly(current)
            let stacksCopied = MonotonicClock.microseconds()
            return (Set(stop.stragglers), current.filter(session.isGroupStopped), registersRead, stacksCopied)
        }
        EngineLog.write("snapshot \(pid): stop+registers \(registersRead - timing.started) µs, stacks \(stacksCopied - registersRead) µs, resume \(timing.ended - stacksCopied) µs")
        updateIdlePolling()
        guard detachAfter || session.processes[pid] != nil else { throw notAttachedError(pid) }
        if details.contains(.syscall) {
            for tid in threadInfo.keys {
                guard let registers = copier.registers[tid] else {
                    threadInfo[tid]?.syscall = procfs.syscall(pid, thread: tid)
                    continue
                }
                let now = registers.syscall(wasRunning: threadInfo[tid]?.state == .running)
                threadInfo[tid]?.syscall = interruptedSyscalls.resolve(tid, now)
            }
            interruptedSyscalls.keepOnly(session.processes.keys.reduce(into: Set<Int32>()) { $0.formUnion(session.tids(of: $1)) })
        }

        let gathered = StopGathering(
            threadInfo: threadInfo, registers: session.registersAsAtPoints(pid, copier.registers), stacks: copier.stacks, stragglers: stragglers,
            groupStopped: groupStopped, stillTraced: Set(session.tids(of: pid)), detached: detachAfter,
            deadlineMilliseconds: session.stopDeadlineMicroseconds / 1000)
        let threads = ThreadSnapshotAssembler.threads(
            gathered, lateInfo: { procfs.thread(pid, $0, details: details) }, comm: { procfs.comm(pid, thread: $0) })
        return ProcessSnapshot(
            pid: pid, command: process.command, stoppedMicroseconds: timing.ended - timing.started, threads: threads)
    }

    /// Runs `body` on the engine thread while every thread of `pid` is stopped,
    /// then resumes them. Keep `body` short: the target is frozen meanwhile.
    public func withAllThreadsStopped<T: Sendable>(
        _ pid: Int32, _ body: (StoppedProcess) throws -> T
    ) throws -> T {
        guard session.processes[pid] != nil else { throw notAttachedError(pid) }
        defer { updateIdlePolling() }
        return try session.whileStopped(.process(pid)) { stop throws in
            var registers: [Int32: ThreadRegisters] = [:]
            for tid in session.tids(of: pid) {
                if let regs = session.registers(of: tid) { registers[tid] = regs }
            }
            return try body(StoppedProcess(pid: pid, threads: registers, unstoppable: stop.stragglers))
        }
    }

    /// Lets go of the process; a process the user had stopped stays stopped.
    public func detach(_ pid: Int32) {
        session.detach(pid)
        updateIdlePolling()
    }

    /// Detaches from everything and lets the engine thread end.
    public func close() {
        session.detachAll()
        session.finishDetaching(withinMicroseconds: 3_000_000)
        // Everything written back: the guardian may go without touching anything.
        session.store.guardian?.close(clean: session.store.points.isEmpty)
        session.store.guardian = nil
        updateIdlePolling()
        eventContinuation.finish()
        executor.stopWhenIdle()
    }

    func notAttachedError(_ pid: Int32) -> EngineError {
        if let status = session.exitedProcesses[pid] { return .processExited(pid: pid, status: status) }
        if !procfs.exists(pid) { return .processExited(pid: pid, status: nil) }
        return .notAttached(pid: pid)
    }

    /// While tracees run, their events must be collected promptly (a caught
    /// signal waits for us); with none, the thread sleeps until the next job.
    func updateIdlePolling() {
        if session.hasTracees {
            // With trap bytes set, a thread stopped on one waits for us, and
            // so does the program if we die first: collect every millisecond.
            // waitpid(-1) scans every tracee: it is called once SIGCHLD says there is something.
            executor.idleHandler = { [session, childSignals] in
                (childSignals.shouldLook() && session.collectEvents()) || !session.store.points.isEmpty
            }
        } else {
            executor.idleHandler = nil
        }
    }
}
