import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

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

/// The per-thread /proc files worth reading beyond `stat`: each is one more
/// file per thread, which a dump of thousands of threads feels.
public struct ThreadDetails: OptionSet, Sendable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    /// /proc/PID/task/TID/wchan
    public static let waitChannel = ThreadDetails(rawValue: 1)
    /// /proc/PID/task/TID/syscall
    public static let syscall = ThreadDetails(rawValue: 2)
    public static let all: ThreadDetails = [.waitChannel, .syscall]
}

extension ProcFS {
    /// One thread's details; nil when it exited before we could read it.
    public func thread(_ pid: Int32, _ tid: Int32, details: ThreadDetails = .all) -> ThreadInfo? {
        Self.thread(tid, details: details) { file in ProcFile.read("\(root)/\(pid)/task/\(tid)/\(file)") }
    }

    /// A ThreadInfo from the thread's own files, read by `read` ("stat", "wchan", "syscall").
    static func thread(_ tid: Int32, details: ThreadDetails, read bytes: (String) -> [UInt8]?) -> ThreadInfo? {
        guard let stat = bytes("stat").flatMap(TaskStatParser.parse(bytes:)) else { return nil }
        func read(_ file: String) -> String? { bytes(file).map { String(decoding: $0, as: UTF8.self) } }
        return ThreadInfo(
            id: tid, name: stat.name, state: stat.state, lastCPU: stat.lastCPU,
            userTicks: stat.userTicks, systemTicks: stat.systemTicks,
            waitChannel: details.contains(.waitChannel) ? read("wchan").flatMap(waitChannel(from:)) : nil,
            syscall: details.contains(.syscall) ? read("syscall").flatMap(ThreadSyscall.parse) : nil)
    }

    /// Every thread of a process; threads that exit mid-listing are left out.
    public func threads(_ pid: Int32) -> [ThreadInfo]? {
        guard let tids = threadIDs(pid) else { return nil }
        return tids.compactMap { thread(pid, $0) }
    }
}

extension ProcFS {
    /// The details of many threads at once, read in parallel: each is a few
    /// files, and a thousand threads' worth is most of what attaching costs.
    /// Threads that exited meanwhile are left out.
    public func threads(_ pid: Int32, _ tids: [Int32], details: ThreadDetails = .all) -> [Int32: ThreadInfo] {
        let chunkSize = 64
        let chunks = (tids.count + chunkSize - 1) / chunkSize
        let found = Mutex<[Int32: ThreadInfo]>([:])
        let taskDirectory = open("\(root)/\(pid)/task", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        defer { if taskDirectory >= 0 { close(taskDirectory) } }
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let slice = tids[(chunk * chunkSize)..<min(tids.count, (chunk + 1) * chunkSize)]
            var local: [(Int32, ThreadInfo)] = []
            local.reserveCapacity(slice.count)
            for tid in slice {
                // Opened relative to /proc/PID/task: no path walk from / per file.
                let info = taskDirectory >= 0
                    ? Self.thread(tid, details: details) { ProcFile.read(in: taskDirectory, "\(tid)/\($0)") }
                    : thread(pid, tid, details: details)
                if let info { local.append((tid, info)) }
            }
            found.withLock { all in
                for (tid, info) in local { all[tid] = info }
            }
        }
        return found.withLock { $0 }
    }
}
