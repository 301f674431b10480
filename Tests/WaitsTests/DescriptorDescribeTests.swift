#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import TestSupport
@testable import Waits

/// `describe` on real descriptors of this process, field by field.
@Suite struct DescriptorDescribeTests {
    let reader = FileDescriptorReader()

    private func inode(_ fd: Int32) -> UInt64 {
        var info = stat()
        fstat(fd, &info)
        return UInt64(info.st_ino)
    }

    @Test func pipeEndsHaveTheirDirection() throws {
        let fds = DescriptorSet()
        let (r, w) = try fds.pipe()
        let readEnd = try reader.describe(pid: testPid, fd: r).get()
        #expect(readEnd == FileDescriptorInfo(fd: r, kind: .pipe, inode: inode(r), readable: true, writable: false))
        let writeEnd = try reader.describe(pid: testPid, fd: w).get()
        #expect(writeEnd == FileDescriptorInfo(fd: w, kind: .pipe, inode: inode(r), readable: false, writable: true))
    }

    @Test func socketPairIsUnixWithoutName() throws {
        let fds = DescriptorSet()
        let (a, _) = try fds.socketPair()
        #expect(try reader.describe(pid: testPid, fd: a).get() == FileDescriptorInfo(fd: a, kind: .unix, inode: inode(a)))
    }

    @Test func unixListenerWithPathAndItsConnection() throws {
        let directory = try makeTempDirectory("fds")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/d.sock"
        let fds = DescriptorSet()
        let (listener, client, accepted) = try fds.unixConnection(path)
        #expect(try reader.describe(pid: testPid, fd: listener).get()
            == FileDescriptorInfo(fd: listener, kind: .unix, inode: inode(listener), path: path, listening: true))
        // The accepted socket carries the listener's name; the client has none and shows its peer's.
        #expect(try reader.describe(pid: testPid, fd: accepted).get()
            == FileDescriptorInfo(fd: accepted, kind: .unix, inode: inode(accepted), path: path))
        #expect(try reader.describe(pid: testPid, fd: client).get()
            == FileDescriptorInfo(fd: client, kind: .unix, inode: inode(client), path: path))

        // ss agrees on the listener's name and inode, and on the client's peer.
        let listenerRow = try #require(try ssRows(["-xlpnH"], holder: testPid, fd: listener).first)
        #expect(listenerRow[4] == path && listenerRow[5] == String(inode(listener)) && listenerRow[1] == "LISTEN")
        let clientRow = try #require(try ssRows(["-xapnH"], holder: testPid, fd: client).first)
        #expect(clientRow[5] == String(inode(client)) && clientRow[7] == String(inode(accepted)))
    }

    @Test func abstractUnixNameHasAnAt() throws {
        let name = "@lwpscope-fds-\(testPid)-\(UInt32.random(in: 0 ... .max))"
        let fds = DescriptorSet()
        let (listener, client, _) = try fds.unixConnection(name)
        let described = try reader.describe(pid: testPid, fd: listener).get()
        #expect(described.kind == .unix && described.path == name && described.listening)
        #expect(try reader.describe(pid: testPid, fd: client).get().path == name)
        let row = try #require(try ssRows(["-xlpnH"], holder: testPid, fd: listener).first)
        #expect(row[4] == name)
    }

    @Test(arguments: [false, true]) func loopbackTcpShowsLocalAndRemote(v6: Bool) throws {
        let fds = DescriptorSet()
        let (listener, client, accepted, port) = try fds.tcpConnection(v6: v6)
        let host = v6 ? "[::1]" : "127.0.0.1"
        let kind: WaitObjectKind = v6 ? .tcp6 : .tcp
        let listening = try reader.describe(pid: testPid, fd: listener).get()
        #expect(listening.kind == kind && listening.listening && listening.inode == inode(listener))
        #expect(listening.address == "\(host):\(port) -> \(v6 ? "[::]" : "0.0.0.0"):0")
        let server = try reader.describe(pid: testPid, fd: accepted).get()
        let clientEnd = try reader.describe(pid: testPid, fd: client).get()
        #expect(server.kind == kind && !server.listening && server.readable && server.writable)
        let clientAddress = try #require(clientEnd.address?.components(separatedBy: " -> ").first)
        #expect(server.address == "\(host):\(port) -> \(clientAddress)")
        #expect(clientEnd.address == "\(clientAddress) -> \(host):\(port)")

        let row = try #require(try ssRows(["-tnpH"], holder: testPid, fd: accepted).first)
        #expect(row[0] == "ESTAB" && "\(row[3]) -> \(row[4])" == server.address)
    }

    @Test func eventfdTimerfdSignalfdAndAnEpollWatchingTwo() throws {
        let fds = DescriptorSet()
        let event = try fds.keep(LinuxDescriptorCalls.eventfd())
        let timer = try fds.keep(LinuxDescriptorCalls.timerfd())
        let epoll = try fds.keep(LinuxDescriptorCalls.epoll(watching: [timer, event]))
        #expect(try reader.describe(pid: testPid, fd: event).get() == FileDescriptorInfo(fd: event, kind: .eventfd))
        #expect(try reader.describe(pid: testPid, fd: timer).get() == FileDescriptorInfo(fd: timer, kind: .timerfd))
        let signals = try fds.keep(LinuxDescriptorCalls.signalfd())
        #expect(try reader.describe(pid: testPid, fd: signals).get() == FileDescriptorInfo(fd: signals, kind: .signalfd))
        #expect(try reader.describe(pid: testPid, fd: epoll).get()
            == FileDescriptorInfo(fd: epoll, kind: .epoll, watched: [event, timer].sorted()))
    }

    @Test func regularFileAndFifo() throws {
        let directory = try makeTempDirectory("fds")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let real = URL(fileURLWithPath: directory).resolvingSymlinksInPath().path
        let fds = DescriptorSet()
        #expect(FileManager.default.createFile(atPath: real + "/plain", contents: Data("x".utf8)))
        let file = try fds.keep(open(real + "/plain", O_RDONLY | O_CLOEXEC))
        #expect(try reader.describe(pid: testPid, fd: file).get()
            == FileDescriptorInfo(fd: file, kind: .file, inode: inode(file), path: real + "/plain", readable: true, writable: false))

        #expect(mkfifo(real + "/fifo", 0o600) == 0)
        let fifoReader = try fds.keep(open(real + "/fifo", O_RDONLY | O_NONBLOCK | O_CLOEXEC))
        let fifoWriter = try fds.keep(open(real + "/fifo", O_WRONLY | O_NONBLOCK | O_CLOEXEC))
        #expect(try reader.describe(pid: testPid, fd: fifoReader).get()
            == FileDescriptorInfo(fd: fifoReader, kind: .fifo, inode: inode(fifoReader), path: real + "/fifo", readable: true, writable: false))
        let peers = reader.peers(of: try reader.describe(pid: testPid, fd: fifoReader).get(), pid: testPid)
        #expect(peers == [WaitPeer(pid: testPid, command: testCommand, fd: fifoWriter)])
    }

    @Test func terminalIsTty() throws {
        let fds = DescriptorSet()
        let master = try fds.keep(open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC))
        let name = try #require(LinuxDescriptorCalls.unlockedTerminalName(master: master))
        let slave = try fds.keep(open(name, O_RDWR | O_NOCTTY | O_CLOEXEC))
        #expect(try reader.describe(pid: testPid, fd: slave).get() == FileDescriptorInfo(fd: slave, kind: .tty, inode: inode(slave), path: name))
    }

    /// sock_diag sees only our network namespace: a socket of a process in
    /// another one is read from its own /proc/PID/net (unix and tcp alike).
    @Test func socketsOfAProcessInAnotherNetworkNamespace() throws {
        let name = "@lwpscope-netns-\(testPid)-\(UInt32.random(in: 0 ... .max))"
        let script = """
            import socket, time
            u = socket.socket(socket.AF_UNIX); u.bind("\\0\(name.dropFirst())"); u.listen()
            t = socket.socket(); t.bind(("0.0.0.0", 0)); t.listen()
            print("ready", u.fileno(), t.fileno(), t.getsockname()[1], flush=True)
            time.sleep(60)
            """
        let child = try ChildProcess(path: "/usr/bin/unshare", arguments: ["-n", "python3", "-c", script])
        let words = try child.waitForLine(startingWith: "ready").split(separator: " ").compactMap { Int32($0) }
        try #require(words.count == 3)
        let unix = try reader.describe(pid: child.pid, fd: words[0]).get()
        #expect(unix.kind == .unix && unix.path == name && unix.listening)
        let tcp = try reader.describe(pid: child.pid, fd: words[1]).get()
        #expect(tcp.kind == .tcp && tcp.listening && tcp.address == "0.0.0.0:\(words[2]) -> 0.0.0.0:0")
    }

    @Test func closedDescriptorAndExitedProcess() throws {
        let fds = DescriptorSet()
        let (r, _) = try fds.pipe()
        // A number far from what parallel tests open, so nothing reuses it meanwhile.
        let high = try fds.keep(fcntl(r, F_DUPFD_CLOEXEC, 977))
        fds.closeNow(high)
        #expect(reader.describe(pid: testPid, fd: high) == .failure(.closed(fd: high)))

        var pid: pid_t = 0
        let argv: [UnsafeMutablePointer<CChar>?] = (["/bin/true"] as [String]).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        #expect(posix_spawn(&pid, "/bin/true", nil, nil, argv, environ) == 0)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        #expect(reader.describe(pid: pid, fd: 0) == .failure(.processGone(pid: pid)))
    }
}
