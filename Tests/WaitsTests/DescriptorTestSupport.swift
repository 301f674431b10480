#if canImport(Glibc)
import Glibc
#endif
import Foundation
import TestSupport
@testable import Waits

/// Real descriptors of this test process for the reader to describe, all
/// close-on-exec so children other tests spawn meanwhile do not hold them.
final class DescriptorSet {
    private(set) var fds: [Int32] = []

    deinit { fds.forEach { close($0) } }

    @discardableResult
    func keep(_ fd: Int32, _ what: String = #function) throws -> Int32 {
        guard fd >= 0 else { throw TestFailure("\(what): \(String(cString: strerror(errno)))") }
        fds.append(fd)
        return fd
    }

    func closeNow(_ fd: Int32) {
        close(fd)
        fds.removeAll { $0 == fd }
    }

    func pipe() throws -> (read: Int32, write: Int32) {
        var ends: [Int32] = [0, 0]
        // pipe2 needs _GNU_SOURCE, which Glibc's module lacks; the window before FD_CLOEXEC is short.
        guard Glibc.pipe(&ends) == 0 else { throw TestFailure("pipe: \(errno)") }
        ends.forEach { _ = fcntl($0, F_SETFD, FD_CLOEXEC) }
        return (try keep(ends[0]), try keep(ends[1]))
    }

    func socketPair() throws -> (Int32, Int32) {
        var ends: [Int32] = [0, 0]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &ends) == 0 else {
            throw TestFailure("socketpair: \(errno)")
        }
        return (try keep(ends[0]), try keep(ends[1]))
    }

    /// A unix listener bound to `name` (a path, or "@name" for an abstract one),
    /// a client connected to it and the accepted end.
    func unixConnection(_ name: String) throws -> (listener: Int32, client: Int32, accepted: Int32) {
        let listener = try keep(socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0))
        try withUnixAddress(name) { guard bind(listener, $0, $1) == 0 else { throw TestFailure("bind \(name): \(errno)") } }
        guard listen(listener, 8) == 0 else { throw TestFailure("listen: \(errno)") }
        let client = try keep(socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0))
        try withUnixAddress(name) { guard connect(client, $0, $1) == 0 else { throw TestFailure("connect \(name): \(errno)") } }
        let accepted = try keep(acceptClosingOnExec(listener))
        return (listener, client, accepted)
    }

    /// A loopback TCP listener, a client connected to it and the accepted end.
    func tcpConnection(v6: Bool) throws -> (listener: Int32, client: Int32, accepted: Int32, port: UInt16) {
        let family = v6 ? AF_INET6 : AF_INET
        let listener = try keep(socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0))
        try withLoopback(v6: v6, port: 0) { guard bind(listener, $0, $1) == 0 else { throw TestFailure("bind: \(errno)") } }
        guard listen(listener, 8) == 0 else { throw TestFailure("listen: \(errno)") }
        let port = boundPort(listener)
        let client = try keep(socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0))
        try withLoopback(v6: v6, port: port) { guard connect(client, $0, $1) == 0 else { throw TestFailure("connect: \(errno)") } }
        let accepted = try keep(acceptClosingOnExec(listener))
        return (listener, client, accepted, port)
    }

    /// An unconnected UDP socket bound to loopback and a client connected to it.
    func udpExchange(v6: Bool) throws -> (server: Int32, client: Int32, port: UInt16) {
        let family = v6 ? AF_INET6 : AF_INET
        let server = try keep(socket(family, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0))
        try withLoopback(v6: v6, port: 0) { guard bind(server, $0, $1) == 0 else { throw TestFailure("bind: \(errno)") } }
        let port = boundPort(server)
        let client = try keep(socket(family, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0))
        try withLoopback(v6: v6, port: port) { guard connect(client, $0, $1) == 0 else { throw TestFailure("connect: \(errno)") } }
        return (server, client, port)
    }

    private func boundPort(_ fd: Int32) -> UInt16 {
        var bound = sockaddr_in6()
        var length = socklen_t(MemoryLayout<sockaddr_in6>.size)
        _ = withUnsafeMutablePointer(to: &bound) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return UInt16(bigEndian: bound.sin6_port)  // sin_port sits at the same offset
    }

    private func acceptClosingOnExec(_ listener: Int32) -> Int32 {
        let fd = accept(listener, nil, nil)
        if fd >= 0 { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        return fd
    }

    private func withUnixAddress(_ name: String, _ body: (UnsafePointer<sockaddr>, socklen_t) throws -> Void) throws {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let abstract = name.hasPrefix("@")
        let bytes = abstract ? [0] + Array(name.utf8.dropFirst()) : Array(name.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        let length = abstract ? 2 + bytes.count : MemoryLayout<sockaddr_un>.size
        try withUnsafePointer(to: &address) { try $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { try body($0, socklen_t(length)) } }
    }

    private func withLoopback(v6: Bool, port: UInt16, _ body: (UnsafePointer<sockaddr>, socklen_t) throws -> Void) throws {
        if v6 {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = port.bigEndian
            address.sin6_addr = in6addr_loopback
            try withUnsafePointer(to: &address) { try $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { try body($0, socklen_t(MemoryLayout<sockaddr_in6>.size)) } }
        } else {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
            try withUnsafePointer(to: &address) { try $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { try body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        }
    }
}

/// `/bin/sleep` holding some of our descriptors (dup2'd to the given numbers):
/// a second process at the other end. Killed and reaped on deinit.
final class DescriptorHoldingChild {
    let pid: pid_t

    init(holding descriptors: [(ours: Int32, theirs: Int32)]) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // dup2 clears close-on-exec on the copy: the child keeps exactly these.
        for (ours, theirs) in descriptors { posix_spawn_file_actions_adddup2(&actions, ours, theirs) }
        let argv: [UnsafeMutablePointer<CChar>?] = (["/bin/sleep", "60"] as [String]).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var child: pid_t = 0
        let rc = posix_spawn(&child, "/bin/sleep", &actions, nil, argv, environ)
        guard rc == 0 else { throw TestFailure("posix_spawn /bin/sleep: \(rc)") }
        pid = child
        // Until exec, the child is a copy of us holding every descriptor.
        let deadline = Date().addingTimeInterval(10)
        while (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8)) != "sleep\n" {
            guard Date() < deadline else { throw TestFailure("pid \(pid) did not exec sleep") }
            usleep(1000)
        }
    }

    deinit {
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
    }
}

/// The holder listing as another user sees it: the given processes refused.
struct RefusingDescriptorListing: ProcessDescriptorListing {
    var refused: Set<Int32>
    /// The owner to report for a refused process (nil: its real one).
    var refusedOwner: UInt32?

    func forEachProcess(_ visit: (ProcessDescriptors) -> Void) {
        ProcDescriptorListing().forEachProcess { process in
            guard refused.contains(process.pid) else { return visit(process) }
            var shown = process.refused()
            if let refusedOwner { shown.uid = refusedOwner }
            visit(shown)
        }
    }
}

/// Counts scans, to see the index is kept between passes and rebuilt when stale.
final class CountingDescriptorListing: ProcessDescriptorListing, @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var scans: Int { lock.withLock { count } }

    func forEachProcess(_ visit: (ProcessDescriptors) -> Void) {
        lock.withLock { count += 1 }
        ProcDescriptorListing().forEachProcess(visit)
    }
}

/// `ss` rows (whitespace-split) mentioning one of our descriptors.
func ssRows(_ arguments: [String], holder pid: Int32, fd: Int32) throws -> [[String]] {
    try runTool("ss", arguments).split(separator: "\n")
        .filter { $0.contains("pid=\(pid),fd=\(fd))") }
        .map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
}

let testPid = getpid()
let testCommand = ProcFSForTests.comm
enum ProcFSForTests {
    static let comm: String = {
        ((try? String(contentsOfFile: "/proc/self/comm", encoding: .utf8)) ?? "").trimmingCharacters(in: .newlines)
    }()
}

/// eventfd, timerfd and epoll, which Glibc's Swift module does not import
/// (their headers are not in it): looked up in libc by name.
enum LinuxDescriptorCalls {
    /// EFD_CLOEXEC, TFD_CLOEXEC and EPOLL_CLOEXEC are all O_CLOEXEC.
    static let closeOnExec: Int32 = 0o2000000

    private static func function<F>(_ name: String, as _: F.Type) -> F {
        let handle = dlopen(nil, RTLD_NOW)
        guard let symbol = dlsym(handle, name) else { fatalError("libc has no \(name)") }
        return unsafeBitCast(symbol, to: F.self)
    }

    static func eventfd() -> Int32 {
        function("eventfd", as: (@convention(c) (UInt32, Int32) -> Int32).self)(0, closeOnExec)
    }

    static func timerfd() -> Int32 {
        function("timerfd_create", as: (@convention(c) (Int32, Int32) -> Int32).self)(CLOCK_MONOTONIC, closeOnExec)
    }

    /// A signalfd for SIGUSR2 (not blocked: nothing is delivered through it).
    static func signalfd() -> Int32 {
        var mask = sigset_t()
        sigemptyset(&mask)
        sigaddset(&mask, SIGUSR2)
        let call = function("signalfd", as: (@convention(c) (Int32, UnsafePointer<sigset_t>, Int32) -> Int32).self)
        return call(-1, &mask, closeOnExec)
    }

    /// The /dev/pts name of a /dev/ptmx master, unlocked so it may be opened.
    static func unlockedTerminalName(master: Int32) -> String? {
        guard function("unlockpt", as: (@convention(c) (Int32) -> Int32).self)(master) == 0,
              let name = function("ptsname", as: (@convention(c) (Int32) -> UnsafeMutablePointer<CChar>?).self)(master)
        else { return nil }
        return String(cString: name)
    }

    /// An epoll watching `fds` for input (EPOLL_CTL_ADD 1, EPOLLIN 1; struct
    /// epoll_event is packed on x86_64: 4 bytes of events, 8 of data).
    static func epoll(watching fds: [Int32]) -> Int32 {
        let epoll = function("epoll_create1", as: (@convention(c) (Int32) -> Int32).self)(closeOnExec)
        let control = function("epoll_ctl", as: (@convention(c) (Int32, Int32, Int32, UnsafeMutableRawPointer) -> Int32).self)
        for fd in fds {
            var event = [UInt8](repeating: 0, count: 12)
            event[0] = 1
            withUnsafeBytes(of: Int64(fd)) { event.replaceSubrange(4..<12, with: $0) }
            guard event.withUnsafeMutableBytes({ control(epoll, 1, fd, $0.baseAddress!) }) == 0 else { return -1 }
        }
        return epoll
    }
}
