import Foundation
import ProcFS
import TestSupport
@testable import Waits

import Testing

/// The fixture pair (see its contract): the client starts the daemon, whose
/// threads block on mutexes, a condvar, its child, descriptors.
enum FixturePair {
    static var clientPath: String { BuiltProducts.path("fixture-client") }

    struct Running {
        let client: ChildProcess
        let clientPID: Int32
        let daemonPID: Int32
        let socket: String
        let directory: String

        func stop() {
            client.terminate()
            _ = waitUntil(timeout: 5) { !ProcFS().exists(daemonPID) || ProcFS().stat(daemonPID)?.state == .zombie }
            try? FileManager.default.removeItem(atPath: directory)
        }
    }

    static func start() throws -> Running {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("waits-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let client = try ChildProcess(path: clientPath, arguments: ["--dir", directory])
        let line = try client.waitForLine(startingWith: "ready ", timeout: 30)
        var fields: [String: String] = [:]
        for word in line.split(separator: " ").dropFirst() {
            let pair = word.split(separator: "=", maxSplits: 1)
            if pair.count == 2 { fields[String(pair[0])] = String(pair[1]) }
        }
        guard let c = fields["client"].flatMap({ Int32($0) }), let d = fields["daemon"].flatMap({ Int32($0) }),
              let socket = fields["socket"] else {
            client.terminate()
            throw TestFailure("unexpected ready line: \(line)")
        }
        return Running(client: client, clientPID: c, daemonPID: d, socket: socket, directory: directory)
    }

    /// The thread of `pid` whose comm is `name`.
    static func thread(_ pid: Int32, named name: String) throws -> Int32 {
        let procfs = ProcFS()
        let tids = (procfs.threadIDs(pid) ?? []).filter { procfs.comm(pid, thread: $0) == name }
        guard tids.count == 1 else { throw TestFailure("\(tids.count) threads of \(pid) named \(name)") }
        return tids[0]
    }
}

@Suite(.serialized, .timeLimit(.minutes(8)))
struct FixturePairAnalyzerTests {
    /// Mutexes, the condvar and the child need no descriptor reader: they
    /// come from /proc and the daemon's memory, without frames.
    @Test func daemonMutexesCondvarAndChildFromProcAndMemory() throws {
        let pair = try FixturePair.start()
        defer { pair.stop() }
        let daemon = pair.daemonPID
        let report = WaitAnalyzer().analyze(processes: [daemon], followDepth: 0)
        let t = { (name: String) in try FixturePair.thread(daemon, named: name) }
        let lockA = try t("lock-a"), lockB = try t("lock-b"), held = try t("held-worker")
        let waiter = try t("mutex-waiter"), cond = try t("cond-waiter")

        for (thread, owner, ownerName) in [(lockA, lockB, "lock-b"), (lockB, lockA, "lock-a"), (waiter, held, "held-worker")] {
            let wait = try #require(report.wait(pid: daemon, tid: thread))
            #expect(wait.syscall == "futex")
            #expect(wait.object == .mutex)
            #expect(wait.owner == owner)
            #expect(wait.ownerPid == daemon)
            #expect(wait.ownerName == ownerName)
            guard case .inSyscall(let number, _, _, _)? = ProcFS().syscall(daemon, thread: thread) else {
                Issue.record("\(thread) not in a system call")
                continue
            }
            #expect(wait.syscallNumber == number)
        }
        #expect(report.wait(pid: daemon, tid: held) == nil, "held-worker spins: no wait")
        let a = ThreadRef(pid: daemon, tid: min(lockA, lockB)), b = ThreadRef(pid: daemon, tid: max(lockA, lockB))
        #expect(report.cycles.contains([a, b]))
        #expect(report.cycles.allSatisfy { !$0.contains(ThreadRef(pid: daemon, tid: waiter)) })
        #expect(report.wait(pid: daemon, tid: cond)?.object == .condvar)

        let main = try #require(report.wait(pid: daemon, tid: daemon))
        #expect(main.syscall == "wait4")
        #expect(main.object == .child)
        let children = ProcFS().processIDs().filter { ProcFS().stat($0)?.parentID == daemon }
        #expect(children.count == 1)
        #expect(main.peers == children.map { WaitPeer(pid: $0, command: "fixture-daemon") })
        #expect(report.processes[daemon] == "fixture-daemon")
        #expect(TaskStates.untraced(daemon))
    }

    /// From the client alone: the unix edge into the daemon, the
    /// cross-process cycle of the two cycle-readers, and the daemon's
    /// threads reached by following.
    @Test
    func fromTheClientTheDaemonAndTheCrossProcessCycle() throws {
        let pair = try FixturePair.start()
        defer { pair.stop() }
        let client = pair.clientPID, daemon = pair.daemonPID
        let report = WaitAnalyzer().analyze(processes: [client], followDepth: 4)
        let clientReader = try FixturePair.thread(client, named: "cycle-reader")
        let daemonReader = try FixturePair.thread(daemon, named: "cycle-reader")

        let main = try #require(report.wait(pid: client, tid: client))
        #expect(main.syscall == "read")
        #expect(main.object == .unix)
        #expect(main.peers.map(\.pid) == [daemon])
        #expect(main.peers.first?.command == "fixture-daemon")
        #expect(main.peers.first?.tid == nil)
        #expect(main.path == pair.socket)
        #expect(report.edges.contains(WaitEdge(from: ThreadRef(pid: client, tid: client), to: ThreadRef(pid: daemon, tid: nil), via: .unix, fd: main.fd)))

        #expect(report.wait(pid: client, tid: clientReader)?.peers.first?.tid == daemonReader)
        #expect(report.wait(pid: daemon, tid: daemonReader)?.peers.first?.tid == clientReader)
        let cycle = [ThreadRef(pid: client, tid: clientReader), ThreadRef(pid: daemon, tid: daemonReader)].sorted()
        #expect(report.cycles.contains(cycle))
        #expect(report.processes[daemon] == "fixture-daemon")
        #expect(report.processes[client] == "fixture-client")

        // The daemon's threads, reached through the client main thread's edge to the whole daemon.
        let pipeReader = try FixturePair.thread(daemon, named: "pipe-reader")
        let pipe = try #require(report.wait(pid: daemon, tid: pipeReader))
        #expect(pipe.object == .pipe)
        #expect(pipe.peers.map(\.pid) == [client])
        #expect(report.edges.contains(WaitEdge(from: ThreadRef(pid: daemon, tid: pipeReader), to: ThreadRef(pid: client, tid: nil),
                                               via: .pipe, fd: pipe.fd)))
        let acceptor = try #require(report.wait(pid: daemon, tid: try FixturePair.thread(daemon, named: "acceptor")))
        #expect(acceptor.label() == "accept4 unix \(pair.socket)")
        let epoll = try #require(report.wait(pid: daemon, tid: try FixturePair.thread(daemon, named: "epoll-waiter")))
        #expect(epoll.object == .epoll)
        #expect(epoll.watching.count == 2)
        #expect(TaskStates.untraced(client) && TaskStates.untraced(daemon))
    }
}
