/// What /proc says about one thread, without stopping it.
public struct ThreadInfo: Equatable, Sendable {
    public var id: Int32
    public var name: String
    public var state: TaskState
    public var lastCPU: Int
    public var userTicks: UInt64
    public var systemTicks: UInt64
    public var waitChannel: String?
    public var syscall: ThreadSyscall?
}

extension ProcFS {
    /// One thread's details; nil when it exited before we could read it.
    /// - withSyscall: also read /proc/PID/task/TID/syscall (one more file per
    ///   thread, which a refresh of a thousand threads can do without).
    public func thread(_ pid: Int32, _ tid: Int32, withSyscall: Bool = true) -> ThreadInfo? {
        guard let stat = stat(pid, thread: tid) else { return nil }
        return ThreadInfo(
            id: tid, name: stat.name, state: stat.state, lastCPU: stat.lastCPU,
            userTicks: stat.userTicks, systemTicks: stat.systemTicks,
            waitChannel: waitChannel(pid, thread: tid), syscall: withSyscall ? syscall(pid, thread: tid) : nil)
    }

    /// Every thread of a process; threads that exit mid-listing are left out.
    public func threads(_ pid: Int32) -> [ThreadInfo]? {
        guard let tids = threadIDs(pid) else { return nil }
        return tids.compactMap { thread(pid, $0) }
    }
}
