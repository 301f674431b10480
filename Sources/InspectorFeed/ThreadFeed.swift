import Backtraces
import Engine
import Holds
import Inspector

/// Panes 2 to 4 from one snapshot: unwinds the threads, surveys the hold
/// flags, joins in births and CPU%, and keeps what the backtrace pane may
/// ask for next. The joins themselves are `ThreadRows`' and the like; this
/// holds what lasts from one refresh to the next.
public struct ThreadFeed: Sendable {
    /// What the panes show after a refresh.
    public struct Update: Sendable {
        public var threads: [ThreadRow]
        public var flags: [HoldFlagRow]
    }

    private let backtracer = Backtracer()
    /// A refresh needs each thread's function (found past glibc's insides),
    /// whether it is held, and its frames for `/` to match; the selected one
    /// is unwound in full. 32 frames cover most stacks whole: on 1,000 threads
    /// of fixture-bench, 9.7 frames a thread instead of 7.0, and unwinding
    /// took 9.1 ms instead of 6.8 (best of 15, 2 busy cores).
    private let shallowBacktracer = Backtracer(maxDepth: 32)
    private var last: (snapshot: ProcessSnapshot, space: AddressSpace)?
    private var fullBacktraces: [Int32: ThreadBacktrace] = [:]
    private var cpu = CPUUsage()
    /// The latest hold survey: which flag holds whom, for releasing.
    public private(set) var survey: HoldSurvey?

    public init() {}

    /// - grouping: threads are shown by stack group, so every stack is unwound in full.
    /// - now: seconds on a monotonic clock, for CPU%.
    public mutating func update(
        _ snapshot: ProcessSnapshot, heldAtBirth: Set<Int32>, grouping: Bool, now: Double, actions: HoldActions
    ) -> Update {
        let space = backtracer.addressSpace(of: snapshot.pid)
        let traces = (grouping ? backtracer : shallowBacktracer).backtraces(of: snapshot, in: space)
        last = (snapshot, space)
        fullBacktraces = grouping ? Dictionary(traces.threads.map { ($0.tid, $0) }, uniquingKeysWith: { a, _ in a }) : [:]
        survey = try? actions.survey(traces, in: space)
        let threads = ThreadRows.make(
            traces.threads, heldBy: survey?.heldBy ?? [:], heldAtBirth: heldAtBirth,
            cpuPercent: cpu.percentages(snapshot, now: now),
            stackGroups: grouping ? StackGroups.numbers(traces.threads) : [:],
            mainExecutable: backtracer.procfs.executablePath(snapshot.pid).map(ModulePaths.displayPath))
        return Update(threads: threads, flags: (survey?.entries ?? []).map(HoldFlagRow.init))
    }

    /// The whole backtrace of `tid`, unwound from the last snapshot's copy of its stack.
    public mutating func backtrace(of tid: Int32) -> Backtrace? {
        if let cached = fullBacktraces[tid] { return Backtrace(cached) }
        guard let (snapshot, space) = last, let thread = snapshot.threads.first(where: { $0.tid == tid }) else {
            return nil
        }
        let full = backtracer.backtrace(of: thread, pid: snapshot.pid, in: space)
        fullBacktraces[tid] = full
        return Backtrace(full)
    }
}
