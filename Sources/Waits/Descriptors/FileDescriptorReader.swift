#if canImport(Glibc)
import Glibc
#endif
import ProcFS

/// The real `FileDescriptorReading`: /proc/PID/fd and fdinfo, /proc/net,
/// sock_diag, and every process's descriptors for finding holders. One
/// reader serves one pass; the holder index outlives it in `holderCache`.
public final class FileDescriptorReader: FileDescriptorReading {
    let procfs: ProcFS
    let holderCache: DescriptorHolderCache
    let sockets: SocketTables
    /// This pass's holder index, taken from the cache on first need.
    var holderIndex: DescriptorHolderIndex?
    /// Whether this pass already asked for a fresh scan (it asks once at most).
    var rescanned = false
    /// When this pass began: an index scanned since is current, never rescanned.
    let passStarted = DescriptorHolderCache.monotonicNow()
    var commands: [Int32: String?] = [:]

    /// - holders: the index kept between passes; by default the one shared
    ///   cache of /proc (or a private one for another procfs root).
    public init(procfs: ProcFS = ProcFS(), holders: DescriptorHolderCache? = nil) {
        self.procfs = procfs
        self.holderCache = holders ?? (procfs.root == "/proc" ? .shared : DescriptorHolderCache(listing: ProcDescriptorListing(root: procfs.root)))
        self.sockets = SocketTables(root: procfs.root)
    }

    public func describe(pid: Int32, fd: Int32) -> Result<FileDescriptorInfo, FileDescriptorProblem> {
        let fdPath = descriptorPath(pid: pid, fd: fd)
        let linkText: String, fdInfoText: String
        switch (ProcEntryIO.readLink(fdPath), ProcEntryIO.readText("\(procfs.root)/\(pid)/fdinfo/\(fd)")) {
        case (.success(let link), .success(let text)): (linkText, fdInfoText) = (link, text)
        case (.failure(let error), _), (_, .failure(let error)): return .failure(problem(error, pid: pid, fd: fd))
        }
        // The fd may have been closed and reused between the two reads.
        switch ProcEntryIO.readLink(fdPath) {
        case .success(linkText): break
        case .success: return .failure(.closed(fd: fd))
        case .failure(let error): return .failure(problem(error, pid: pid, fd: fd))
        }
        let fdInfo = DescriptorFdInfo.parse(fdInfoText)
        var info = FileDescriptorInfo(fd: fd, kind: .file, readable: fdInfo.readable, writable: fdInfo.writable)
        switch DescriptorLink(linkText: linkText) {
        case .pipe(let inode):
            info.kind = .pipe
            info.inode = inode
        case .socket(let inode):
            info.kind = .socket
            info.inode = inode
            describeSocket(&info, pid: pid)
        case .anonymous(let name):
            switch name {
            case "eventfd": info.kind = .eventfd
            case "timerfd": info.kind = .timerfd
            case "signalfd": info.kind = .signalfd
            case "eventpoll":
                info.kind = .epoll
                info.watched = fdInfo.watched
            default: info.path = linkText  // inotify, pidfd, io_uring…: shown by name
            }
        case .path(let path):
            info.path = path
            guard case .success(let status) = ProcEntryIO.status(fdPath) else { return .failure(.closed(fd: fd)) }
            info.inode = UInt64(status.st_ino)
            if status.st_mode & S_IFMT == S_IFIFO {
                info.kind = .fifo
            } else if Self.isTerminal(path) {
                info.kind = .tty
            }
        case .other(let text):
            info.path = text
        }
        return .success(info)
    }

    /// A socket's family is found by looking its inode up: sock_diag's unix
    /// sockets, this namespace's inet tables (each read once a pass, and once
    /// more for a socket made since), then /proc/PID/net/unix (a unix socket
    /// of another network namespace, which sock_diag does not see).
    private func describeSocket(_ info: inout FileDescriptorInfo, pid: Int32) {
        guard let inode = info.inode else { return }
        for refresh in [false, true] {
            if let socket = sockets.diagnosedUnixSocket(inode: inode, refresh: refresh) {
                describeUnix(&info, socket)
                return
            }
            for proto in InetProtocol.allCases {
                if let socket = sockets.inetSocket(inode: inode, pid: pid, protocol: proto, refresh: refresh) {
                    info.kind = proto.kind
                    info.listening = socket.listening
                    info.address = socket.addressText
                    return
                }
            }
        }
        if let socket = sockets.procNetUnixSocket(inode: inode, pid: pid) {
            describeUnix(&info, socket)
        }
    }

    private func describeUnix(_ info: inout FileDescriptorInfo, _ socket: UnixSocket) {
        info.kind = .unix
        info.listening = socket.listening
        // A connected client has no name of its own: its peer's (the server's path) says where it goes.
        info.path = socket.name ?? socket.peer.flatMap { sockets.diagnosedUnixSocket(inode: $0)?.name }
    }

    private func problem(_ error: ProcReadError, pid: Int32, fd: Int32) -> FileDescriptorProblem {
        let state = procfs.stat(pid)?.state
        return Self.problem(errno: error.code, pid: pid, fd: fd, processAlive: state != nil && state != .zombie && state != .dead)
    }

    /// ENOENT means the fd is gone, unless the whole process is.
    static func problem(errno code: Int32, pid: Int32, fd: Int32, processAlive: Bool) -> FileDescriptorProblem {
        switch code {
        case EACCES, EPERM: .noPermission(pid: pid)
        case ESRCH: .processGone(pid: pid)
        default: processAlive ? .closed(fd: fd) : .processGone(pid: pid)
        }
    }

    static func isTerminal(_ path: String) -> Bool {
        path.hasPrefix("/dev/pts/") || path.hasPrefix("/dev/tty") || path == "/dev/console"
    }

    func descriptorPath(pid: Int32, fd: Int32) -> String { "\(procfs.root)/\(pid)/fd/\(fd)" }
}
