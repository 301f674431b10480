import Foundation
import ProcFS
import Testing
import TestSupport
import Waits
#if canImport(Glibc)
import Glibc
#endif

/// WaitAnalyzer on the running fixture pair, each `waitsOn` checked field by
/// field against /proc and ss (FixturePairTruth), and the checks themselves
/// shown to catch wrong answers.
@Suite(.serialized, .timeLimit(.minutes(8))) struct FixturePairWaitTests {
    @Test func bothProcessesWaitWhereProcAndSSSay() throws {
        let pair = try WaitFixturePair()
        defer { pair.stop() }
        let truth = try FixturePairTruth(pair: pair)
        let report = WaitAnalyzer().analyze(processes: [pair.client, pair.daemon])
        let problems = truth.mismatches(WaitObservation(report))
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        #expect(report.processes[pair.client] == "fixture-client")
        #expect(report.processes[pair.daemon] == "fixture-daemon")
    }

    @Test func fromTheClientAloneTheAnalysisReachesTheDaemon() throws {
        let pair = try WaitFixturePair()
        defer { pair.stop() }
        let truth = try FixturePairTruth(pair: pair)
        let report = WaitAnalyzer().analyze(processes: [pair.client], followDepth: 4)
        #expect(report.processes[pair.daemon] == "fixture-daemon", "\(report.processes)")
        // The client's threads, and the daemon's cycle-reader its cycle runs through.
        var scope = Set(truth.labels.keys.filter { $0.pid == pair.client })
        scope.insert(ThreadKey(pid: pair.daemon, tid: try pair.tid(pair.daemon, named: "cycle-reader")))
        let problems = truth.mismatches(WaitObservation(report), scope: scope)
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    /// The truth, said back, passes; each kind of wrong answer is caught.
    @Test func theCheckCatchesWrongAnswers() throws {
        let pair = try WaitFixturePair()
        defer { pair.stop() }
        let truth = try FixturePairTruth(pair: pair)
        let right = truth.observation()
        #expect(truth.mismatches(right).isEmpty, "\(truth.mismatches(right))")

        let lockA = ThreadKey(pid: pair.daemon, tid: try pair.tid(pair.daemon, named: "lock-a"))
        let lockB = ThreadKey(pid: pair.daemon, tid: try pair.tid(pair.daemon, named: "lock-b"))
        var swapped = right
        swapped.waits[lockA]?.owner = lockA.tid
        swapped.waits[lockB]?.owner = lockB.tid
        #expect(truth.mismatches(swapped).contains { $0.contains("lock-a") && $0.contains("owner") })

        let clientMain = ThreadKey(pid: pair.client, tid: pair.client)
        var wrongPeer = right
        wrongPeer.waits[clientMain]?.peers = [PeerFacts(pid: pair.client, command: "fixture-client", fd: 3)]
        #expect(truth.mismatches(wrongPeer).contains { $0.contains("client fixture-client") && $0.contains("peers") })

        let held = ThreadKey(pid: pair.daemon, tid: try pair.tid(pair.daemon, named: "held-worker"))
        var heldWaits = right
        heldWaits.waits[held] = WaitFacts(syscall: "futex", object: "futex")
        #expect(truth.mismatches(heldWaits).contains { $0.contains("held-worker") && $0.contains("runs") })

        var noCycle = right
        noCycle.cycles.removeAll { $0.contains(lockA) }
        #expect(truth.mismatches(noCycle).contains { $0.hasPrefix("missing cycle") })

        var wrongEdge = right
        wrongEdge.edges.append(EdgeFacts(from: held, toPid: pair.client, toTid: nil, via: "pipe"))
        #expect(truth.mismatches(wrongEdge).contains { $0.hasPrefix("extra edge") })
    }

    /// The ground truth says what the contract says, not merely what the
    /// fixture happens to do: the scorer's own premises, checked directly.
    @Test func theGroundTruthIsTheContract() throws {
        let pair = try WaitFixturePair()
        defer { pair.stop() }
        let truth = try FixturePairTruth(pair: pair)
        func wait(_ pid: Int32, _ name: String) throws -> WaitFacts {
            let key = ThreadKey(pid: pid, tid: name.hasPrefix("fixture-") ? pid : try pair.tid(pid, named: name))
            return try #require(truth.expected[key] ?? nil, "\(name) waits")
        }
        let (client, daemon) = (pair.client, pair.daemon)
        let clientPeer = { (fd: Int32?) in [PeerFacts(pid: client, command: "fixture-client", fd: fd)] }

        let pipe = try wait(daemon, "pipe-reader")
        let writeEnd = try #require(pipe.peers.first?.fd)
        #expect(pipe.peers == clientPeer(writeEnd))
        #expect(ProcDescriptors.target(client, fd: writeEnd) == ProcDescriptors.target(daemon, fd: try #require(pipe.fd)))
        #expect(ProcDescriptors.flags(client, fd: writeEnd).map { $0 & O_ACCMODE } == O_WRONLY)

        let unixRead = try wait(daemon, "unix-reader")
        #expect(unixRead.object == "unix" && unixRead.path == pair.socketPath && unixRead.peers.map(\.pid) == [client])
        #expect(unixRead.peers.first?.tid == nil)
        let tcpRead = try wait(daemon, "tcp-reader")
        #expect(tcpRead.address?.hasPrefix("127.0.0.1:\(pair.port) -> 127.0.0.1:") == true, "\(tcpRead)")
        #expect(tcpRead.peers.map(\.pid) == [client])
        #expect(try wait(daemon, "acceptor") == WaitFacts(syscall: "accept4", fd: try wait(daemon, "acceptor").fd,
                                                          object: "unix", path: pair.socketPath))
        let lockA = try pair.tid(daemon, named: "lock-a"), lockB = try pair.tid(daemon, named: "lock-b")
        #expect(try wait(daemon, "lock-a") == WaitFacts(syscall: "futex", object: "mutex", owner: lockB, ownerPid: daemon))
        #expect(try wait(daemon, "lock-b") == WaitFacts(syscall: "futex", object: "mutex", owner: lockA, ownerPid: daemon))
        #expect(try wait(daemon, "mutex-waiter").owner == (try pair.tid(daemon, named: "held-worker")))
        #expect(try wait(daemon, "cycle-reader").peers.map(\.tid) == [try pair.tid(client, named: "cycle-reader")])
        #expect(try wait(client, "cycle-reader").peers.map(\.tid) == [try pair.tid(daemon, named: "cycle-reader")])
        #expect(try wait(daemon, "cond-waiter") == WaitFacts(syscall: "futex", object: "condvar"))
        #expect(try wait(daemon, "epoll-waiter").watching.count == 2)
        let child = try pair.daemonChild()
        #expect(try wait(daemon, "fixture-daemon") == WaitFacts(syscall: "wait4", object: "child",
                                                                peers: [PeerFacts(pid: child, command: "fixture-daemon")]))
        let clientMain = try wait(client, "fixture-client")
        #expect(clientMain.path == pair.socketPath && clientMain.peers.map(\.pid) == [daemon] && clientMain.peers.first?.tid == nil)
        #expect(truth.cycles.count == 2)
        #expect(ProcFS().syscall(child, thread: child).map { if case .inSyscall(34, _, _, _) = $0 { true } else { false } } == true)
    }

    @Test func killingTheClientTakesTheDaemonAndItsChildAlong() throws {
        let pair = try WaitFixturePair()
        defer { pair.stop() }
        let child = try pair.daemonChild()
        kill(pair.client, SIGKILL)
        let procfs = ProcFS()
        let gone = { (pid: Int32) in procfs.stat(pid).map { $0.state == .zombie } ?? true }
        #expect(waitUntil(timeout: 5) { gone(pair.daemon) && gone(child) })
    }

    @Test func readyLineParses() {
        let line = WaitFixturePair.ReadyLine("ready client=10 daemon=11 socket=/tmp/d/daemon.sock port=4000")
        #expect(line?.client == 10 && line?.daemon == 11 && line?.socket == "/tmp/d/daemon.sock" && line?.port == 4000)
        #expect(WaitFixturePair.ReadyLine("ready") == nil)
        #expect(WaitFixturePair.ReadyLine("ready client=x daemon=11 socket=/s port=1") == nil)
    }

    @Test func ssRowsParse() throws {
        let unix = SocketTable(parsing: """
            u_str ESTAB 0      0      /tmp/d/daemon.sock 6176683            * 6176798 users:(("fixture-daemon",pid=5259,fd=7))
            u_str LISTEN 0      8      /tmp/d/daemon.sock 6176681            * 0    users:(("fixture-daemon",pid=5259,fd=5))
            u_str ESTAB 0 0 * 6178290 * 6178289 users:(("swiftc",pid=6709,fd=16),("swift-build",pid=6230,fd=14))
            """)
        #expect(unix.entries.count == 3)
        #expect(unix.entry(inode: 6176683) == SocketEntry(netid: "u_str", state: "ESTAB", local: "/tmp/d/daemon.sock", peer: "*",
                                                          inode: 6176683, peerInode: 6176798,
                                                          users: [SocketUser(command: "fixture-daemon", pid: 5259, fd: 7)]))
        #expect(unix.entry(inode: 6176681)?.state == "LISTEN" && unix.entry(inode: 6176681)?.peerInode == 0)
        #expect(unix.entry(inode: 6178290)?.users.map(\.pid) == [6709, 6230])
        let tcp = SocketTable(parsing: """
            ESTAB 0      0          127.0.0.1:39820    127.0.0.1:53285 users:(("fixture-client",pid=5258,fd=8)) ino:6176690 sk:3 cgroup:/ <->
            ESTAB 0      0          127.0.0.1:53285    127.0.0.1:39820 users:(("fixture-daemon",pid=5259,fd=10)) ino:6176686 sk:4 cgroup:/ <->
            LISTEN 0      128    0.0.0.0:2024 0.0.0.0:* ino:1675 sk:c cgroup:/ <->
            """)
        let daemonEnd = try #require(tcp.entry(inode: 6176686))
        #expect(daemonEnd.local == "127.0.0.1:53285" && daemonEnd.peer == "127.0.0.1:39820" && daemonEnd.netid == nil)
        #expect(tcp.reversed(daemonEnd)?.users == [SocketUser(command: "fixture-client", pid: 5258, fd: 8)])
        #expect(tcp.entry(inode: 1675)?.users == [])
    }
}
