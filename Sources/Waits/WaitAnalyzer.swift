import ProcFS

/// One thread to analyze, with what the caller already read.
public struct ThreadWaitInput: Sendable {
    public var pid: Int32
    public var tid: Int32
    public var name: String?
    /// From /proc/TID/syscall; nil to read it now.
    public var syscall: ThreadSyscall?
    /// Function labels innermost first, when the thread was unwound ("pthread_mutex_lock"
    /// among them says the futex is a mutex); nil when not.
    public var frames: [String]?

    public init(pid: Int32, tid: Int32, name: String? = nil, syscall: ThreadSyscall? = nil, frames: [String]? = nil) {
        self.pid = pid
        self.tid = tid
        self.name = name
        self.syscall = syscall
        self.frames = frames
    }
}

/// Why threads wait and on whom: reads /proc, sock_diag and memory only, so
/// nothing is stopped or attached. Keeps what is costly to read (every
/// process's descriptors) for a few seconds between analyses; use one from
/// one thread at a time.
public final class WaitAnalyzer: @unchecked Sendable {
    let procfs: ProcFS
    /// Makes the descriptor reader for one analysis (tests pass a fake).
    let makeReader: () -> any FileDescriptorReading
    /// Where futex words and poll sets are read (tests pass a fake).
    let memory: any WaitMemoryReading

    /// Bounds on one analysis, so a huge or hostile system cannot stall a
    /// refresh: threads analyzed in all, and threads of one process reached
    /// through an edge that names no thread.
    static let maxThreads = 20_000
    static let maxThreadsPerFollowedProcess = 1_024

    public init(procfs: ProcFS = ProcFS(), makeReader: (() -> any FileDescriptorReading)? = nil,
                memory: any WaitMemoryReading = LiveWaitMemory()) {
        self.procfs = procfs
        self.makeReader = makeReader ?? { FileDescriptorReader(procfs: procfs) }
        self.memory = memory
    }

    /// - followDepth: how many hops to follow edges out of the given threads
    ///   into other threads and processes (whose threads are read from /proc),
    ///   so chains and cycles through them are found.
    public func analyze(_ threads: [ThreadWaitInput], followDepth: Int = 4) -> WaitReport {
        let world = WaitWorld(procfs: procfs, reader: makeReader(), memory: memory)
        // Every call the caller read, before any is looked up: a peer's
        // threads may be among them.
        for input in threads {
            if let syscall = input.syscall { world.record(syscall: syscall, pid: input.pid, tid: input.tid) }
        }
        let waits = ThreadWaitReader(world: world)
        var report = WaitReport()
        var queue: [(input: ThreadWaitInput, depth: Int)] = []
        var queued: Set<ThreadRef> = []
        var expanded: Set<Int32> = []
        func enqueue(_ input: ThreadWaitInput, depth: Int) {
            if queued.insert(ThreadRef(pid: input.pid, tid: input.tid)).inserted { queue.append((input, depth)) }
        }
        threads.forEach { enqueue($0, depth: 0) }
        var next = 0
        while next < queue.count, next < Self.maxThreads {
            let (input, depth) = queue[next]
            next += 1
            if report.processes[input.pid] == nil, let name = world.processName(input.pid) {
                report.processes[input.pid] = name
            }
            let thread = ThreadRef(pid: input.pid, tid: input.tid)
            guard let wait = waits.wait(of: input) else { continue }
            report.waits[thread] = wait
            let edges = WaitEdges.edges(from: thread, wait: wait)
            report.edges += edges
            guard depth < followDepth else { continue }
            for edge in edges {
                // A whole process is followed into once, not once per edge to it.
                if edge.to.tid == nil, !expanded.insert(edge.to.pid).inserted { continue }
                let tids = edge.to.tid.map { [$0] } ?? (world.threads(of: edge.to.pid) ?? [])
                for tid in tids.prefix(Self.maxThreadsPerFollowedProcess) {
                    enqueue(ThreadWaitInput(pid: edge.to.pid, tid: tid), depth: depth + 1)
                }
            }
        }
        report.cycles = WaitCycles.find(in: report.edges)
        return report
    }

    /// Every thread of each process, read from /proc.
    public func analyze(processes: [Int32], followDepth: Int = 4) -> WaitReport {
        analyze(processes.flatMap { pid in
            (procfs.threadIDs(pid) ?? []).map { ThreadWaitInput(pid: pid, tid: $0) }
        }, followDepth: followDepth)
    }
}
