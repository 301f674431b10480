/// A process at the other end of what a thread waits on: the writer of the
/// pipe it reads, the holder of its unix socket's peer, the child it waits for.
public struct WaitPeer: Hashable, Sendable, Codable {
    public var pid: Int32
    public var command: String
    /// The peer's own descriptor for the other end; nil for a child or when unknown.
    public var fd: Int32?
    /// The peer's thread blocked on that very descriptor, when one is.
    public var tid: Int32?
    /// Why the peer could not be read further ("no permission"); nil when it was.
    public var error: String?
    /// The peer thread's comm, for the screen ("read unix ← 4711/4713 cycle-reader");
    /// not part of the JSON, whose peers are `{pid, command, fd, tid}`.
    public var threadName: String?

    enum CodingKeys: String, CodingKey {
        case pid, command, fd, tid, error
    }

    public init(pid: Int32, command: String, fd: Int32? = nil, tid: Int32? = nil, error: String? = nil,
                threadName: String? = nil) {
        self.pid = pid
        self.command = command
        self.fd = fd
        self.tid = tid
        self.error = error
        self.threadName = threadName
    }
}

/// Why one thread is not running, read from /proc, netlink and memory
/// without stopping anyone: the system call it sits in, what its argument
/// refers to, and who is at the other end. JSON: `waitsOn`.
public struct ThreadWait: Hashable, Sendable {
    /// The system call's name ("read", "futex"), or "syscall N" when unknown.
    public var syscall: String
    public var syscallNumber: Int
    public var fd: Int32?
    public var object: WaitObjectKind?
    /// A unix socket's path (abstract names start with "@"), a file's or FIFO's path, a tty.
    public var path: String?
    /// An inet socket's "local -> remote" ("127.0.0.1:5000 -> 127.0.0.1:40102").
    public var address: String?
    public var peers: [WaitPeer] = []
    /// The thread holding the mutex waited on.
    public var owner: Int32?
    public var ownerPid: Int32?
    /// The owner thread's name, for the screen ("mutex ← 2213 worker-3").
    public var ownerName: String?
    /// The descriptors an epoll, poll or select waits on, besides `fd`.
    public var watching: [Int32] = []
    /// What could not be read ("fd 7 closed meanwhile", "no permission").
    public var note: String?

    public init(syscall: String, syscallNumber: Int, fd: Int32? = nil, object: WaitObjectKind? = nil,
                path: String? = nil, address: String? = nil, peers: [WaitPeer] = [], owner: Int32? = nil,
                ownerPid: Int32? = nil, ownerName: String? = nil, watching: [Int32] = [], note: String? = nil) {
        self.syscall = syscall
        self.syscallNumber = syscallNumber
        self.fd = fd
        self.object = object
        self.path = path
        self.address = address
        self.peers = peers
        self.owner = owner
        self.ownerPid = ownerPid
        self.ownerName = ownerName
        self.watching = watching
        self.note = note
    }
}

/// `waitsOn` in JSON: the issue's keys, each present only where it applies.
extension ThreadWait: Encodable {
    enum CodingKeys: String, CodingKey {
        case syscall, fd, object, path, address, peers, owner, ownerPid, ownerName, watching, note
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(syscall, forKey: .syscall)
        try c.encodeIfPresent(fd, forKey: .fd)
        try c.encodeIfPresent(object, forKey: .object)
        try c.encodeIfPresent(path, forKey: .path)
        try c.encodeIfPresent(address, forKey: .address)
        if !peers.isEmpty || [.pipe, .fifo, .unix, .tcp, .tcp6, .udp, .udp6, .child].contains(object) {
            try c.encode(peers, forKey: .peers)
        }
        try c.encodeIfPresent(owner, forKey: .owner)
        try c.encodeIfPresent(ownerPid, forKey: .ownerPid)
        try c.encodeIfPresent(ownerName, forKey: .ownerName)
        if !watching.isEmpty { try c.encode(watching, forKey: .watching) }
        try c.encodeIfPresent(note, forKey: .note)
    }
}
