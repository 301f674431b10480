import ProcFS

/// Why a snapshot has no registers for a thread.
enum RegistersUnavailable: Equatable, Sendable, CustomStringConvertible {
    case didNotStop(withinMilliseconds: Int)
    case exitedDuringSnapshot
    case unreadable

    var description: String {
        switch self {
        case .didNotStop(let milliseconds): "did not stop within \(milliseconds) ms"
        case .exitedDuringSnapshot: "exited during the snapshot"
        case .unreadable: "registers unavailable"
        }
    }
}

/// What an all-threads stop gathered, to be joined per thread.
struct StopGathering {
    /// /proc's view of each thread, read just before the stop.
    var threadInfo: [Int32: ThreadInfo]
    var registers: [Int32: ThreadRegisters]
    var stacks: [Int32: StackCopy]
    var stragglers: Set<Int32>
    /// Threads the user had stopped (SIGSTOP and friends), as the stop found them.
    var groupStopped: Set<Int32>
    /// Threads still traced once the stop ended (none after a detach).
    var stillTraced: Set<Int32>
    var detached: Bool
    var deadlineMilliseconds: Int
}

/// Joins /proc's view of each thread, its registers and stack copy, and the
/// reason it has none, into `ThreadSnapshot`s. Pure: callers hand in what
/// they read.
enum ThreadSnapshotAssembler {
    /// One thread. While we trace it, a thread the user stopped reads "t" in
    /// /proc; it shows as what it is to them.
    static func thread(
        tid: Int32, info: ThreadInfo?, name: @autoclosure () -> String, registers: ThreadRegisters?,
        stack: StackCopy?, groupStopped: Bool, unavailable: RegistersUnavailable?
    ) -> ThreadSnapshot {
        var state = info?.state ?? .other("?")
        if state == .tracingStop, groupStopped { state = .stopped }
        return ThreadSnapshot(
            tid: tid, name: info?.name ?? name(), state: state, lastCPU: info?.lastCPU ?? 0,
            cpuTicks: (info?.userTicks ?? 0) + (info?.systemTicks ?? 0),
            waitChannel: info?.waitChannel, syscall: info?.syscall,
            registers: registers, stack: stack,
            unavailableReason: registers == nil ? (unavailable ?? .unreadable).description : nil)
    }

    /// Every thread seen before or after the stop, in tid order. A thread
    /// with neither /proc details nor registers is left out (it is gone).
    /// - lateInfo: /proc details of a thread born during the stop.
    /// - comm: a thread's name when /proc details are missing.
    static func threads(
        _ gathered: StopGathering, lateInfo: (Int32) -> ThreadInfo?, comm: (Int32) -> String?
    ) -> [ThreadSnapshot] {
        var threads: [ThreadSnapshot] = []
        threads.reserveCapacity(gathered.threadInfo.count)
        for tid in gathered.stillTraced.union(gathered.threadInfo.keys).sorted() {
            let info = gathered.threadInfo[tid] ?? lateInfo(tid)
            let registers = gathered.registers[tid]
            guard info != nil || registers != nil else { continue }
            let unavailable: RegistersUnavailable? = registers != nil ? nil
                : gathered.stragglers.contains(tid) ? .didNotStop(withinMilliseconds: gathered.deadlineMilliseconds)
                : !gathered.stillTraced.contains(tid) && !gathered.detached ? .exitedDuringSnapshot : .unreadable
            threads.append(thread(
                tid: tid, info: info, name: comm(tid) ?? "", registers: registers, stack: gathered.stacks[tid],
                groupStopped: gathered.groupStopped.contains(tid), unavailable: unavailable))
        }
        return threads
    }
}
