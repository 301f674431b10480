import Engine
import Inspector
import ProcFS

/// The ps listing as picker rows, each saying whether we can attach and why
/// not, by `AttachEligibility`'s rule: the row is dimmed exactly when the
/// engine would refuse before trying. Attachable rows that deserve a second
/// thought (PID 1, an ancestor of lwpscope) carry a caution.
public enum PickerRows {
    /// - cpuPercent: each process's current share (`PickerFeed`); a process
    ///   missing shows 0. Nil: the listing's lifetime average.
    /// - tracer: the process a TracerPid (a thread) belongs to.
    public static func make(
        _ listing: [ProcessSummary], attacher: Attacher = .current(), cpuPercent: [Int32: Double]? = nil,
        tracer: (Int32) -> ProcessName? = { ProcFS().process(ofThread: $0) }
    ) -> [PickerRow] {
        let ancestors = Set(ProcessTree(listing).ancestors(of: attacher.pid))
        return listing.map { process in
            let tracedBy = process.tracerID == 0
                ? nil : tracer(process.tracerID) ?? ProcessName(pid: process.tracerID, command: "unknown")
            let refusal = AttachEligibility.refusal(of: AttachTarget(process), by: attacher)
            let whyNot = refusal.map { reason(for: $0, process, tracer: tracedBy) }
            var row = PickerRow(
                pid: process.pid, ppid: process.parentID, user: process.user, threads: process.threadCount,
                state: process.state.letter, cpuPercent: cpuPercent.map { $0[process.pid] ?? 0 } ?? process.cpuPercent,
                rssKiB: UInt64(max(0, process.residentKiB)), command: process.command, attachable: whyNot == nil,
                whyNot: whyNot, tracer: tracedBy?.description,
                caution: whyNot == nil ? caution(process.pid, ancestors: ancestors) : nil)
            row.container = process.container.map {
                PickerContainer(name: ContainerName.short($0), namespacePID: process.namespacePID)
            }
            return row
        }
    }

    /// Short, for a list that already shows the process.
    static func reason(for refusal: AttachRefusal, _ process: ProcessSummary, tracer: ProcessName?) -> String {
        switch refusal {
        case .ownProcess: "that is lwpscope itself"
        case .kernelThread: "pid \(process.pid) is a kernel thread: it has no user-space threads"
        case .exited: "pid \(process.pid) is a zombie: it has exited"
        case .alreadyTraced(let thread):
            "pid \(process.pid) is already traced by pid \(tracer?.pid ?? thread) (\(tracer?.command ?? "unknown"))"
        case .otherUser:
            "pid \(process.pid) belongs to \(process.user): ptrace needs the same user or CAP_SYS_PTRACE"
        }
    }

    /// Stopping these stops more than the program: the system, or this terminal.
    static func caution(_ pid: Int32, ancestors: Set<Int32>) -> String? {
        if pid == 1 { return "PID 1 is init: stopping it stalls the whole system" }
        if ancestors.contains(pid) { return "pid \(pid) is an ancestor of lwpscope: a stop may freeze this terminal" }
        return nil
    }
}

/// The picker's rows from one listing to the next: CPU% is each process's
/// share of one CPU since the previous listing, as htop shows it, not ps's
/// lifetime average (0 on the first listing and for a process new since).
public struct PickerFeed: Sendable {
    private var cpu = CPUUsage()
    /// Start times, so a pid reused between listings starts afresh.
    private var startTimes: [Int32: Int64] = [:]

    public init() {}

    /// - now: seconds on a monotonic clock.
    public mutating func rows(
        _ listing: [ProcessSummary], now: Double, attacher: Attacher = .current(),
        tracer: (Int32) -> ProcessName? = { ProcFS().process(ofThread: $0) }
    ) -> [PickerRow] {
        var shares = cpu.percentages(
            Dictionary(listing.map { ($0.pid, $0.cpuTicks) }, uniquingKeysWith: { a, _ in a }), now: now)
        for process in listing where startTimes[process.pid].map({ $0 != process.startTime }) ?? true {
            shares[process.pid] = nil
        }
        startTimes = Dictionary(listing.map { ($0.pid, $0.startTime) }, uniquingKeysWith: { a, _ in a })
        return PickerRows.make(listing, attacher: attacher, cpuPercent: shares, tracer: tracer)
    }
}

extension AttachTarget {
    /// The facts as one line of the ps listing has them. A zombie leader
    /// with threads still running counts them in its thread count.
    public init(_ process: ProcessSummary) {
        let zombie = process.state == .zombie || process.state == .dead
        self.init(
            pid: process.pid, isKernelThread: process.isKernelThread, hasExited: zombie && process.threadCount <= 1,
            ownerID: process.userID, tracer: process.tracerID)
    }
}
