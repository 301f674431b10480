/// What one open descriptor of a process is, from /proc/PID/fd, fdinfo,
/// /proc/net and sock_diag.
public struct FileDescriptorInfo: Hashable, Sendable {
    public var fd: Int32
    /// pipe, fifo, unix, tcp, tcp6, udp, udp6, file, eventfd, timerfd,
    /// signalfd, epoll, tty, or socket (any other socket).
    public var kind: WaitObjectKind
    /// The inode /proc/PID/fd names ("pipe:[123]"), or the file's.
    public var inode: UInt64?
    /// A file's, FIFO's or tty's path; a unix socket's bound path ("@name" when abstract).
    public var path: String?
    /// An inet socket's "local -> remote".
    public var address: String?
    /// From fdinfo's flags: which way this descriptor goes (a pipe's read or write end).
    public var readable: Bool
    public var writable: Bool
    /// A socket in the LISTEN state.
    public var listening: Bool
    /// An epoll's watched descriptors (fdinfo "tfd:" lines).
    public var watched: [Int32]

    public init(fd: Int32, kind: WaitObjectKind, inode: UInt64? = nil, path: String? = nil, address: String? = nil,
                readable: Bool = true, writable: Bool = true, listening: Bool = false, watched: [Int32] = []) {
        self.fd = fd
        self.kind = kind
        self.inode = inode
        self.path = path
        self.address = address
        self.readable = readable
        self.writable = writable
        self.listening = listening
        self.watched = watched
    }
}

/// Why a descriptor could not be described.
public enum FileDescriptorProblem: Error, Hashable, Sendable {
    /// It was closed between reading the system call and reading the descriptor.
    case closed(fd: Int32)
    /// Another user's process: /proc refuses its descriptors.
    case noPermission(pid: Int32)
    /// The process exited.
    case processGone(pid: Int32)

    public var description: String {
        switch self {
        case .closed(let fd): "fd \(fd) closed meanwhile"
        case .noPermission(let pid): "pid \(pid): no permission"
        case .processGone(let pid): "pid \(pid) exited"
        }
    }
}

/// Descriptors and who holds the other end: what `WaitAnalyzer` asks about
/// fds. One pass of an analysis uses one reader; it may keep tables
/// (sockets, every process's descriptors) it read for the pass.
public protocol FileDescriptorReading: AnyObject {
    func describe(pid: Int32, fd: Int32) -> Result<FileDescriptorInfo, FileDescriptorProblem>

    /// The processes holding the other end of `info` (a descriptor of `pid`):
    /// a pipe's or FIFO's opposite end, a unix socket's peer socket, the
    /// loopback TCP/UDP socket with the reversed address pair. Peers come
    /// without `tid` (the analyzer finds the thread); a process whose
    /// descriptors may not be read is a peer with `error` "no permission"
    /// only when it could be the holder. Empty when nobody holds it (or a
    /// remote host does: `info.address` says which).
    func peers(of info: FileDescriptorInfo, pid: Int32) -> [WaitPeer]
}
