import ProcFS

/// What one analysis read of the system, each thing once: thread lists,
/// names, system calls, the parent index. /proc changes under us; reading
/// each file once keeps one pass consistent with itself (a thread that is
/// gone stays gone for the whole pass).
final class WaitWorld {
    let procfs: ProcFS
    let reader: any FileDescriptorReading
    let memory: any WaitMemoryReading

    private var threadLists: [Int32: [Int32]?] = [:]
    private var threadSets: [Int32: Set<Int32>] = [:]
    private var threadNames: [ThreadRef: String?] = [:]
    private var processNames: [Int32: String?] = [:]
    private var syscalls: [ThreadRef: ThreadSyscall?] = [:]
    private var descriptors: [DescriptorKey: Result<FileDescriptorInfo, FileDescriptorProblem>] = [:]
    private var childrenByParent: [Int32: [Int32]]?
    private var peerLists: [DescriptorKey: [WaitPeer]] = [:]
    private var blockedThreadIndexes: [Int32: [Int32: [Int32]]] = [:]

    private struct DescriptorKey: Hashable {
        var pid: Int32
        var fd: Int32
    }

    init(procfs: ProcFS, reader: any FileDescriptorReading, memory: any WaitMemoryReading) {
        self.procfs = procfs
        self.reader = reader
        self.memory = memory
    }

    /// The process's threads, nil when it is gone or unreadable.
    func threads(of pid: Int32) -> [Int32]? {
        Self.remembered(&threadLists, pid) { procfs.threadIDs(pid) }
    }

    /// Asked once per futex of a process that may have thousands of threads: a set.
    func isLiveThread(pid: Int32, tid: Int32) -> Bool {
        if let set = threadSets[pid] { return set.contains(tid) }
        let set = Set(threads(of: pid) ?? [])
        threadSets[pid] = set
        return set.contains(tid)
    }

    /// A thread's comm.
    func threadName(pid: Int32, tid: Int32) -> String? {
        Self.remembered(&threadNames, ThreadRef(pid: pid, tid: tid)) { procfs.comm(pid, thread: tid) }
    }

    /// A process's comm (its main thread's).
    func processName(_ pid: Int32) -> String? {
        Self.remembered(&processNames, pid) { procfs.stat(pid)?.name }
    }

    func syscall(pid: Int32, tid: Int32) -> ThreadSyscall? {
        Self.remembered(&syscalls, ThreadRef(pid: pid, tid: tid)) { procfs.syscall(pid, thread: tid) }
    }

    /// Remembers a system call the caller read already, so the pass agrees with it.
    func record(syscall: ThreadSyscall, pid: Int32, tid: Int32) {
        syscalls[ThreadRef(pid: pid, tid: tid)] = syscall
    }

    func describe(pid: Int32, fd: Int32) -> Result<FileDescriptorInfo, FileDescriptorProblem> {
        let key = DescriptorKey(pid: pid, fd: fd)
        if let cached = descriptors[key] { return cached }
        let result = reader.describe(pid: pid, fd: fd)
        descriptors[key] = result
        return result
    }

    /// Who holds the other end of `info` (a descriptor of `pid`), asked of
    /// the reader once a pass: threads sharing one pipe ask about it once.
    func peers(of info: FileDescriptorInfo, pid: Int32) -> [WaitPeer] {
        let key = DescriptorKey(pid: pid, fd: info.fd)
        if let cached = peerLists[key] { return cached }
        let peers = reader.peers(of: info, pid: pid)
        peerLists[key] = peers
        return peers
    }

    /// A process's threads by the descriptor each is blocked on, built by
    /// `build` the first time it is asked for in the pass.
    func blockedThreads(of pid: Int32, build: () -> [Int32: [Int32]]) -> [Int32: [Int32]] {
        if let index = blockedThreadIndexes[pid] { return index }
        let index = build()
        blockedThreadIndexes[pid] = index
        return index
    }

    /// What `read` gave the first time for `key` (nil answers too).
    private static func remembered<Key: Hashable, Value>(_ cache: inout [Key: Value?], _ key: Key,
                                                         _ read: () -> Value?) -> Value? {
        if let cached = cache[key] { return cached }
        let value = read()
        cache[key] = .some(value)
        return value
    }

    /// The processes whose parent is `pid`. The kernel's
    /// /proc/PID/task/TID/children needs CONFIG_PROC_CHILDREN, which many
    /// kernels lack, so every process's stat is read once per pass instead.
    func children(of pid: Int32) -> [Int32] {
        if childrenByParent == nil {
            var index: [Int32: [Int32]] = [:]
            for candidate in procfs.processIDs() {
                guard let stat = procfs.stat(candidate), stat.state != .zombie, stat.state != .dead else { continue }
                index[stat.parentID, default: []].append(candidate)
            }
            childrenByParent = index
        }
        return childrenByParent?[pid] ?? []
    }

    /// The parent of `pid`, nil when it is gone.
    func parent(of pid: Int32) -> Int32? {
        procfs.stat(pid)?.parentID
    }
}
