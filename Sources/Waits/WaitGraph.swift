/// A thread, or a whole process when no one thread of it is known to be at
/// the other end (`tid` nil).
public struct ThreadRef: Hashable, Sendable, Codable, Comparable {
    public var pid: Int32
    public var tid: Int32?

    public init(pid: Int32, tid: Int32?) {
        self.pid = pid
        self.tid = tid
    }

    public static func < (a: ThreadRef, b: ThreadRef) -> Bool {
        (a.pid, a.tid ?? -1) < (b.pid, b.tid ?? -1)
    }
}

/// One wait-for edge: `from` waits on `to` through `via` (its descriptor `fd`).
public struct WaitEdge: Hashable, Sendable, Codable {
    public var from: ThreadRef
    public var to: ThreadRef
    public var via: WaitObjectKind
    public var fd: Int32?

    public init(from: ThreadRef, to: ThreadRef, via: WaitObjectKind, fd: Int32? = nil) {
        self.from = from
        self.to = to
        self.via = via
        self.fd = fd
    }
}

/// Everything one analysis found: each blocked thread's wait (a running
/// thread has none), the wait-for edges between threads and processes, and
/// every cycle of threads waiting on each other.
public struct WaitReport: Sendable {
    /// Keyed by thread (tid never nil); a thread missing here is running or gone.
    public var waits: [ThreadRef: ThreadWait] = [:]
    public var edges: [WaitEdge] = []
    /// Each cycle once, starting at its lowest thread, in wait order.
    public var cycles: [[ThreadRef]] = []
    /// Every process the analysis read (the given ones and those it followed
    /// edges into), with its command name.
    public var processes: [Int32: String] = [:]

    public init() {}

    public func wait(pid: Int32, tid: Int32) -> ThreadWait? { waits[ThreadRef(pid: pid, tid: tid)] }

    /// The threads of every cycle: what the screen marks deadlocked.
    public var deadlocked: Set<ThreadRef> { Set(cycles.joined()) }
}
