import Backtraces
import Engine
import Holds
import Inspector
import ProcFS
import Waits

/// Panes 2 to 4 from one snapshot: unwinds the threads, surveys the hold
/// flags, asks what each thread waits on, joins in births and CPU%, and keeps what the backtrace pane may
/// ask for next. The joins themselves are `ThreadRows`' and the like; this
/// holds what lasts from one refresh to the next.
public struct ThreadFeed: Sendable {
    /// What the panes show after a refresh.
    public struct Update: Sendable {
        public var threads: [ThreadRow]
        public var flags: [HoldFlagRow]
        /// What the threads wait on, and the processes the analysis followed.
        public var waits: WaitReport
    }

    /// How far the wait analysis follows edges out of the shown process on
    /// each refresh: far enough to name a peer and close a cycle between two
    /// processes, short enough to stay cheap.
    public static let followDepth = 2

    private let backtracer = Backtracer()
    /// A refresh needs each thread's function (found past glibc's insides),
    /// whether it is held, and its frames for `/` to match; the selected one
    /// is unwound in full. 32 frames cover most stacks whole: on 1,000 threads
    /// of fixture-bench, 9.7 frames a thread instead of 7.0, and unwinding
    /// took 9.1 ms instead of 6.8 (best of 15, 2 busy cores).
    private let shallowBacktracer = Backtracer(maxDepth: 32)
    /// The selected thread's frames with their arguments and locals, for pane 3 and
    /// the frame overlay (memory past the 4 KiB copy is read live, so a thread
    /// that ran on since the snapshot may show newer values).
    private let selectedBacktracer = Backtracer(readsArguments: true, readsLocals: true)
    private var last: (snapshot: ProcessSnapshot, space: AddressSpace)?
    private var fullBacktraces: [Int32: ThreadBacktrace] = [:]
    private var cpu = CPUUsage()
    /// The latest hold survey: which flag holds whom, for releasing.
    public private(set) var survey: HoldSurvey?

    public init() {}

    /// - grouping: threads are shown by stack group, so every stack is unwound in full.
    /// - now: seconds on a monotonic clock, for CPU%.
    /// - waits: the analyzer (kept across refreshes for its caches); nil
    ///   leaves WAITS ON empty. It reads /proc only, so it stops no one.
    public mutating func update(
        _ snapshot: ProcessSnapshot, heldAtBirth: Set<Int32>, heldAtPoints: [Int32: String] = [:], heldNotes: [Int32: String] = [:], grouping: Bool, now: Double, actions: HoldActions,
        waits analyzer: WaitAnalyzer? = nil
    ) -> Update {
        let space = backtracer.addressSpace(of: snapshot.pid)
        let traces = (grouping ? backtracer : shallowBacktracer).backtraces(of: snapshot, in: space)
        last = (snapshot, space)
        // Not the grouped traces: the selected thread's are read with their arguments and locals.
        fullBacktraces = [:]
        survey = try? actions.survey(traces, in: space)
        var syscalls: [Int32: ThreadSyscall] = [:]
        for thread in snapshot.threads { syscalls[thread.tid] = thread.syscall }
        let waits = analyzer?.analyze(
            ThreadRows.waitInputs(traces.threads, pid: snapshot.pid, syscalls: syscalls), followDepth: Self.followDepth)
            ?? WaitReport()
        let threads = ThreadRows.make(
            traces.threads, heldBy: survey?.heldBy ?? [:], heldAtBirth: heldAtBirth, heldAtPoints: heldAtPoints, heldNotes: heldNotes,
            cpuPercent: cpu.percentages(snapshot, now: now),
            stackGroups: grouping ? StackGroups.numbers(traces.threads) : [:],
            mainExecutable: backtracer.procfs.executablePath(snapshot.pid).map(ModulePaths.displayPath),
            waits: waits, pid: snapshot.pid)
        return Update(threads: threads, flags: (survey?.entries ?? []).map(HoldFlagRow.init), waits: waits)
    }

    /// The whole backtrace of `tid`, unwound from the last snapshot's copy of its stack.
    public mutating func backtrace(of tid: Int32) -> Backtrace? {
        if let cached = fullBacktraces[tid] { return Backtrace(cached) }
        guard let (snapshot, space) = last, let thread = snapshot.threads.first(where: { $0.tid == tid }) else {
            return nil
        }
        let full = selectedBacktracer.backtrace(of: thread, pid: snapshot.pid, in: space)
        fullBacktraces[tid] = full
        return Backtrace(full)
    }
}
