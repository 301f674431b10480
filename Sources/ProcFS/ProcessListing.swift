/// One row of the ps listing.
public struct ProcessSummary: Equatable, Sendable {
    public var pid: Int32
    public var parentID: Int32
    public var userID: UInt32
    public var user: String
    public var state: TaskState
    public var threadCount: Int
    /// CPU use over the process's lifetime, as ps(1) computes it.
    public var cpuPercent: Double
    public var residentKiB: Int64
    /// Start time, seconds since the epoch.
    public var startTime: Int64
    public var name: String
    /// The full command line, or "[comm]" for a kernel thread, as ps shows it.
    public var command: String
    public var isKernelThread: Bool
    public var tracerID: Int32
    /// User and system CPU time so far, in clock ticks: two listings apart,
    /// the current CPU share (as htop shows it).
    public var cpuTicks: UInt64 = 0
    /// The pid inside its innermost pid namespace (NSpid's last): the pid
    /// itself outside containers.
    public var namespacePID: Int32 = 0
    /// The cgroup of a process in a pid namespace below ours (a container);
    /// nil for the processes of our own namespace.
    public var container: String? = nil
}

extension ProcFS {
    /// The ps listing. Processes that exit while it is being read are left out.
    public func processListing() -> [ProcessSummary] {
        var users = UserNames()
        let uptime = uptime() ?? 0
        let bootTime = bootTime() ?? 0
        let hz = Double(Self.clockTicksPerSecond)
        let ownDepth = ownNamespaceDepth()
        return processIDs().compactMap { pid in
            guard let stat = stat(pid), let status = status(pid) else { return nil }
            let argv = commandLine(pid) ?? []
            let command = argv.isEmpty ? "[\(stat.name)]" : argv.joined(separator: " ")
            let elapsed = uptime - Double(stat.startTicks) / hz
            let cpuSeconds = Double(stat.userTicks + stat.systemTicks) / hz
            let cpuPercent = elapsed > 0 ? (cpuSeconds / elapsed * 1000).rounded() / 10 : 0
            var summary = ProcessSummary(
                pid: pid, parentID: stat.parentID, userID: status.realUserID,
                user: users.name(of: status.realUserID), state: stat.state,
                threadCount: stat.threadCount, cpuPercent: cpuPercent,
                residentKiB: stat.residentPages * Self.pageSize / 1024,
                startTime: bootTime + Int64(stat.startTicks / Self.clockTicksPerSecond),
                name: stat.name, command: command, isKernelThread: stat.isKernelThread,
                tracerID: status.tracerID, cpuTicks: stat.userTicks + stat.systemTicks)
            summary.namespacePID = status.namespacePIDs.last ?? pid
            if status.namespacePIDs.count > ownDepth { summary.container = cgroup(pid) ?? "?" }
            return summary
        }
    }
}
