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
    let procfs: ProcFS
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
        let threadInfo = procfs.threads(pid, session.tids(of: pid), details: details)
        EngineLog.write("snapshot \(pid): /proc details read")
        // Read before the stop, so the stop stays short; thread stacks do not move.
        let mappings = stackBytes > 0 ? (procfs.mappedRanges(pid) ?? []) : []
        beforeStopping?()
        let start = MonotonicClock.microseconds()
        // Each thread's registers and stack are read as soon as it stops,
        // while the others are still on their way: its registers stay as they
        // are until it is resumed, after every thread has stopped, and its
        // frames (return addresses, saved registers) are written only by
        // itself, so the backtraces are those of the one instant all stopped.
        var registers: [Int32: ThreadRegisters] = [:]
        var stacks: [Int32: StackCopy] = [:]
        var toCopy: [(tid: Int32, sp: UInt64, threadPointer: UInt64)] = []
        func copyStacks() {
            stacks.merge(StackCopier.copy(pid: pid, stackPointers: toCopy, size: stackBytes, mappings: mappings)) { a, _ in a }
            toCopy.removeAll(keepingCapacity: true)
        }
        func read(_ tid: Int32) {
            guard registers[tid] == nil, let regs = session.registers(of: tid) else { return }
            registers[tid] = regs
            toCopy.append((tid, regs.sp, regs.threadPointer))
            if toCopy.count >= 128 { copyStacks() }
        }
        let stragglers = Set(session.stopAll(pid, onStop: read))
        // Everything stopped: read the rest, copy and let go without being
        // preempted by the threads each resume wakes.
        let raised = RealtimePriority.raise()
        let current = Set(session.tids(of: pid))
        registers = registers.filter { current.contains($0.key) }
        for tid in current.sorted() where !stragglers.contains(tid) { read(tid) }
        let registersRead = MonotonicClock.microseconds()
        copyStacks()
        stacks = stacks.filter { current.contains($0.key) }
        let stacksCopied = MonotonicClock.microseconds()
        let groupStopped = Set(session.tids(of: pid).filter { session.tracees[$0]?.isGroupStopped == true })
        if detachAfter { session.detachStopped(pid) } else { session.resumeAll(pid) }
        RealtimePriority.lower(raised)
        let stopped = MonotonicClock.microseconds() - start
        EngineLog.write("snapshot \(pid): stop+registers \(registersRead - start) µs, stacks \(stacksCopied - registersRead) µs, resume \(stopped - (stacksCopied - start)) µs")
        updateIdlePolling()
        guard detachAfter || session.processes[pid] != nil else { throw notAttachedError(pid) }

        var threads: [ThreadSnapshot] = []
        for tid in Set(session.tids(of: pid)).union(threadInfo.keys).sorted() {
            let info = threadInfo[tid] ?? procfs.thread(pid, tid, details: details)
            guard info != nil || registers[tid] != nil else { continue }
            let reason: String? = registers[tid] != nil ? nil
                : stragglers.contains(tid) ? "did not stop within \(session.stopDeadlineMicroseconds / 1000) ms"
                : session.tracees[tid] == nil && !detachAfter ? "exited during the snapshot" : "registers unavailable"
            // While we trace it, a thread the user stopped reads "t"; show what it is to them.
            var state = info?.state ?? .other("?")
            if state == .tracingStop, groupStopped.contains(tid) { state = .stopped }
            threads.append(ThreadSnapshot(
                tid: tid, name: info?.name ?? procfs.comm(pid, thread: tid) ?? "",
                state: state, lastCPU: info?.lastCPU ?? 0,
                cpuTicks: (info?.userTicks ?? 0) + (info?.systemTicks ?? 0),
                waitChannel: info?.waitChannel, syscall: info?.syscall,
                registers: registers[tid], stack: stacks[tid], unavailableReason: reason))
        }
        return ProcessSnapshot(pid: pid, command: process.command, stoppedMicroseconds: stopped, threads: threads)
    }

    /// Runs `body` on the engine thread while every thread of `pid` is stopped,
    /// then resumes them. Keep `body` short: the target is frozen meanwhile.
    public func withAllThreadsStopped<T: Sendable>(
        _ pid: Int32, _ body: (StoppedProcess) throws -> T
    ) throws -> T {
        guard session.processes[pid] != nil else { throw notAttachedError(pid) }
        let stragglers = session.stopAll(pid)
        defer {
            session.resumeAll(pid)
            updateIdlePolling()
        }
        var registers: [Int32: ThreadRegisters] = [:]
        for tid in session.tids(of: pid) {
            if let regs = session.registers(of: tid) { registers[tid] = regs }
        }
        return try body(StoppedProcess(pid: pid, threads: registers, unstoppable: stragglers))
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
            executor.idleHandler = { [session] in session.collectEvents() }
        } else {
            executor.idleHandler = nil
        }
    }
}
