import Foundation
import ProcFS
#if canImport(Glibc)
import Glibc
#endif

/// Reads one thread's wait the long way (see FixturePairTruth); throws when
/// the ground truth itself disagrees with the contract, so a broken fixture
/// is not mistaken for a wrong lwpscope.
struct TruthReader {
    let pair: WaitFixturePair
    let procfs = ProcFS()
    let unix: SocketTable
    let tcp: SocketTable

    static let syscallNames = [0: "read", 1: "write", 61: "wait4", 202: "futex", 232: "epoll_wait", 288: "accept4"]

    init(pair: WaitFixturePair) throws {
        self.pair = pair
        unix = try SocketTable.unix()
        tcp = try SocketTable.tcp()
    }

    func key(_ pid: Int32, _ name: String) throws -> ThreadKey {
        // The main thread shares its name with the process: it is the leader.
        let tid = name.hasPrefix("fixture-") ? pid : try pair.tid(pid, named: name)
        guard procfs.comm(pid, thread: tid) == name else { throw TestFailure("ground truth: \(pid)/\(tid) is not \(name)") }
        return ThreadKey(pid: pid, tid: tid)
    }

    /// The call the thread sits in and its first argument, checked to be `number`.
    func call(_ key: ThreadKey, _ number: Int) throws -> (name: String, arg0: UInt64) {
        guard case .inSyscall(let got, let arguments, _, _)? = procfs.syscall(key.pid, thread: key.tid), got == number else {
            throw TestFailure("ground truth: \(key) is not in syscall \(number): \(String(describing: procfs.syscall(key.pid, thread: key.tid)))")
        }
        return (Self.syscallNames[number] ?? "syscall \(number)", arguments[0])
    }

    func command(_ pid: Int32) -> String { procfs.comm(pid, thread: pid) ?? "?" }

    /// The thread of `pid` blocked in a read or write of its descriptor `fd`, if one is.
    func threadBlocked(_ pid: Int32, on fd: Int32) -> Int32? {
        (procfs.threadIDs(pid) ?? []).first { tid in
            guard case .inSyscall(let number, let arguments, _, _)? = procfs.syscall(pid, thread: tid) else { return false }
            return [0, 1, 44, 45, 46, 47].contains(number) && arguments[0] == UInt64(fd)
        }
    }

    func peer(_ user: SocketUser) -> PeerFacts {
        PeerFacts(pid: user.pid, command: command(user.pid), fd: user.fd, tid: threadBlocked(user.pid, on: user.fd))
    }

    func childWait(_ key: ThreadKey, child: Int32) throws -> WaitFacts {
        let (name, arg0) = try call(key, 61)
        guard Int32(truncatingIfNeeded: arg0) == child, procfs.stat(child)?.parentID == key.pid else {
            throw TestFailure("ground truth: \(key) waits for \(arg0), not its child \(child)")
        }
        return WaitFacts(syscall: name, object: "child", peers: [PeerFacts(pid: child, command: command(child))])
    }

    /// Every process holding the pipe's write end, from every process's descriptors.
    func pipeWait(_ key: ThreadKey) throws -> WaitFacts {
        let (name, arg0) = try call(key, 0)
        let fd = Int32(arg0)
        guard let link = ProcDescriptors.target(key.pid, fd: fd), ProcDescriptors.inode(link, kind: "pipe") != nil else {
            throw TestFailure("ground truth: \(key)'s fd \(fd) is not a pipe")
        }
        var writers: [PeerFacts] = []
        for pid in procfs.processIDs() {
            for holder in ProcDescriptors.holding(pid, link: link)
            where (ProcDescriptors.flags(pid, fd: holder) ?? -1) & O_ACCMODE == O_WRONLY {
                writers.append(PeerFacts(pid: pid, command: command(pid), fd: holder, tid: threadBlocked(pid, on: holder)))
            }
        }
        return WaitFacts(syscall: name, fd: fd, object: "pipe", peers: writers)
    }

    /// A unix socket's wait: its name (or its peer's, for a socket with none)
    /// and the holders of its peer, from ss -x; a listener has no peer.
    func unixWait(_ key: ThreadKey, syscall number: Int) throws -> WaitFacts {
        let (name, arg0) = try call(key, number)
        let fd = Int32(arg0)
        guard let inode = ProcDescriptors.target(key.pid, fd: fd).flatMap({ ProcDescriptors.inode($0, kind: "socket") }),
              let entry = unix.entry(inode: inode) else {
            throw TestFailure("ground truth: \(key)'s fd \(fd) is not a unix socket ss -x lists")
        }
        guard entry.state != "LISTEN" else { return WaitFacts(syscall: name, fd: fd, object: "unix", path: entry.local) }
        guard let peerInode = entry.peerInode, let peerEntry = unix.entry(inode: peerInode) else {
            throw TestFailure("ground truth: ss -x has no peer for socket \(inode)")
        }
        for user in peerEntry.users where ProcDescriptors.target(user.pid, fd: user.fd) != "socket:[\(peerInode)]" {
            throw TestFailure("ground truth: ss -x says \(user.pid) fd \(user.fd) is socket \(peerInode), /proc disagrees")
        }
        let path = entry.local != "*" ? entry.local : peerEntry.local != "*" ? peerEntry.local : nil
        return WaitFacts(syscall: name, fd: fd, object: "unix", path: path, peers: peerEntry.users.map(peer))
    }

    /// A loopback TCP read: "local -> remote" and the socket with the pair reversed, from ss -t.
    func tcpWait(_ key: ThreadKey) throws -> WaitFacts {
        let (name, arg0) = try call(key, 0)
        let fd = Int32(arg0)
        guard let inode = ProcDescriptors.target(key.pid, fd: fd).flatMap({ ProcDescriptors.inode($0, kind: "socket") }),
              let entry = tcp.entry(inode: inode), let other = tcp.reversed(entry) else {
            throw TestFailure("ground truth: \(key)'s fd \(fd) is not a TCP connection ss -t lists both ends of")
        }
        return WaitFacts(syscall: name, fd: fd, object: "tcp", address: "\(entry.local) -> \(entry.peer)",
                         peers: other.users.map(peer))
    }

    /// glibc x86_64: a mutex's `__owner` is the int 8 bytes past the futex word.
    func mutexWait(_ key: ThreadKey, owner: ThreadKey) throws -> WaitFacts {
        let (name, arg0) = try call(key, 202)
        guard let word = Self.readInt32(pid: key.pid, address: arg0 + 8), word == owner.tid else {
            throw TestFailure("ground truth: the mutex \(key) waits on is not owned by \(owner)")
        }
        return WaitFacts(syscall: name, object: "mutex", owner: owner.tid, ownerPid: owner.pid)
    }

    func condvarWait(_ key: ThreadKey) throws -> WaitFacts {
        WaitFacts(syscall: try call(key, 202).name, object: "condvar")
    }

    func epollWait(_ key: ThreadKey) throws -> WaitFacts {
        let (name, arg0) = try call(key, 232)
        let fd = Int32(arg0)
        let watched = ProcDescriptors.epollTargets(key.pid, fd: fd)
        let kinds = Set(watched.compactMap { ProcDescriptors.target(key.pid, fd: $0) })
        guard ProcDescriptors.target(key.pid, fd: fd) == "anon_inode:[eventpoll]",
              kinds == ["anon_inode:[eventfd]", "anon_inode:[timerfd]"] else {
            throw TestFailure("ground truth: \(key)'s epoll fd \(fd) does not watch an eventfd and a timerfd: \(watched)")
        }
        return WaitFacts(syscall: name, fd: fd, object: "epoll", watching: watched)
    }

    static func readInt32(pid: Int32, address: UInt64) -> Int32? {
        let fd = open("/proc/\(pid)/mem", O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var value: Int32 = 0
        let n = withUnsafeMutableBytes(of: &value) { pread(fd, $0.baseAddress, 4, off_t(Int64(bitPattern: address))) }
        return n == 4 ? value : nil
    }
}
