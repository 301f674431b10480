#if canImport(Glibc)
import Glibc
#endif

/// Readers for the /proc files lwpscope uses. The root is injectable so tests
/// can point it at a hand-made tree; every reader returns nil for a process or
/// thread that has gone away, since that is normal, not exceptional.
public struct ProcFS: Sendable {
    public var root: String

    public init(root: String = "/proc") {
        self.root = root
    }

    public func processIDs() -> [Int32] {
        ProcFile.numericEntries(root) ?? []
    }

    public func exists(_ pid: Int32) -> Bool {
        access("\(root)/\(pid)", F_OK) == 0
    }

    public func stat(_ pid: Int32) -> TaskStat? {
        ProcFile.readText("\(root)/\(pid)/stat").flatMap(TaskStatParser.parse)
    }

    public func stat(_ pid: Int32, thread tid: Int32) -> TaskStat? {
        ProcFile.readText("\(root)/\(pid)/task/\(tid)/stat").flatMap(TaskStatParser.parse)
    }

    public func status(_ pid: Int32) -> TaskStatus? {
        ProcFile.readText("\(root)/\(pid)/status").flatMap(TaskStatusParser.parse)
    }

    public func status(_ pid: Int32, thread tid: Int32) -> TaskStatus? {
        ProcFile.readText("\(root)/\(pid)/task/\(tid)/status").flatMap(TaskStatusParser.parse)
    }

    /// The argv the process was started with; empty for kernel threads.
    public func commandLine(_ pid: Int32) -> [String]? {
        guard let bytes = ProcFile.read("\(root)/\(pid)/cmdline") else { return nil }
        return bytes.split(separator: 0, omittingEmptySubsequences: false)
            .map { String(decoding: $0, as: UTF8.self) }
            .reversed().drop(while: \.isEmpty).reversed()
    }

    public func threadIDs(_ pid: Int32) -> [Int32]? {
        ProcFile.numericEntries("\(root)/\(pid)/task")
    }

    public func comm(_ pid: Int32, thread tid: Int32) -> String? {
        ProcFile.readText("\(root)/\(pid)/task/\(tid)/comm").map { text in
            text.hasSuffix("\n") ? String(text.dropLast()) : text
        }
    }

    /// The kernel function the thread sleeps in, or nil when it is not waiting.
    public func waitChannel(_ pid: Int32, thread tid: Int32) -> String? {
        ProcFile.readText("\(root)/\(pid)/task/\(tid)/wchan").flatMap(Self.waitChannel(from:))
    }

    /// A wchan file's text: nil for a thread that is not waiting ("0" or empty).
    static func waitChannel(from text: String) -> String? {
        let trimmed = text.trimmingSpaces()
        return trimmed.isEmpty || trimmed == "0" ? nil : trimmed
    }

    public func syscall(_ pid: Int32, thread tid: Int32) -> ThreadSyscall? {
        ProcFile.readText("\(root)/\(pid)/task/\(tid)/syscall").flatMap(ThreadSyscall.parse)
    }

    public func memoryMap(_ pid: Int32) -> [MemoryMapping]? {
        ProcFile.readText("\(root)/\(pid)/maps").map(MemoryMapParser.parse)
    }

    /// Just the address ranges of /proc/PID/maps, in order: what clipping a
    /// stack copy needs, without parsing thousands of lines in full.
    public func mappedRanges(_ pid: Int32) -> [Range<UInt64>]? {
        ProcFile.read("\(root)/\(pid)/maps").map(MemoryMapParser.ranges)
    }

    public func executablePath(_ pid: Int32) -> String? {
        ProcFile.readLink("\(root)/\(pid)/exe")
    }

    /// Where the process's `/` is, as /proc/PID/root reads ("/" when it is ours).
    public func rootDirectory(_ pid: Int32) -> String? {
        ProcFile.readLink("\(root)/\(pid)/root")
    }

    /// Seconds since boot, from /proc/uptime.
    public func uptime() -> Double? {
        ProcFile.readText("\(root)/uptime")?.split(separator: " ").first.flatMap { Double($0) }
    }

    /// Boot time as seconds since the epoch, from the btime line of /proc/stat.
    public func bootTime() -> Int64? {
        guard let text = ProcFile.readText("\(root)/stat") else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("btime ") {
            return Int64(line.dropFirst(6).trimmingCharacters())
        }
        return nil
    }

    public static let clockTicksPerSecond: UInt64 = UInt64(max(1, sysconf(Int32(_SC_CLK_TCK))))
    public static let pageSize: Int64 = Int64(max(1, sysconf(Int32(_SC_PAGESIZE))))
}

extension Substring {
    func trimmingCharacters() -> String { String(self).trimmingSpaces() }
}
