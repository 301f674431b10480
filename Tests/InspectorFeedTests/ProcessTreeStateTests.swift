@testable import Engine
import Holds
import Inspector
import InspectorFeed
@testable import ProcFS
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

@Suite struct ProcessTreeStateTests {
    let listing = [
        Values.process(900, parent: 1, command: "-bash"),
        Values.process(4242, parent: 900, command: "./server"),
        Values.process(4250, parent: 4242, command: "./server --child", state: .stopped),
        Values.process(4251, parent: 4242, command: "./server --untraced"),
    ]

    @Test func rowsTakeStateFromTheFreshStatCPUAndHeldCountsOfTracedProcessesOnly() {
        let running = TaskStat(id: 4242, name: "server", state: .running, parentID: 900, flags: 0, userTicks: 0,
                               systemTicks: 0, threadCount: 3, startTicks: 0, residentPages: 0, lastCPU: 0)
        let rows = ProcessTreeRows.make(
            ProcessTree(listing), root: 4242, current: 4242, traced: [900, 4242, 4250], stats: [4242: running],
            cpuPercent: [4242: 37.5, 900: 1], heldThreads: [900: 4, 4242: 2, 4250: 1, 4251: 3])
        // pid 1 is not in the listing: a row without a state.
        #expect(rows.map(\.pid) == [1, 900, 4242, 4250, 4251])
        #expect(rows.map(\.state) == [nil, "S", "R", "T", "S"], "the stat read now beats the tree's")
        #expect(rows.map(\.cpuPercent) == [nil, 1, 37.5, nil, nil])
        // The ancestor is context; the untraced child cannot have held threads.
        #expect(rows.map(\.heldThreads) == [0, 0, 2, 1, 0])
    }

    @Test func heldCountsJoinBirthsAndFlagsAndCountAThreadOnce() {
        let counts = HeldThreadCounts.perProcess(
            heldAtBirth: [(tid: 4301, pid: 4242), (tid: 4250, pid: 4250), (tid: 4243, pid: 4242)],
            heldOnFlags: [4243, 4244], of: 4242)
        #expect(counts == [4242: 3, 4250: 1])
        #expect(HeldThreadCounts.perProcess(heldAtBirth: [], heldOnFlags: [4243], of: nil).isEmpty)
    }
}

/// Pane 1 on a real process whose two spinners are held on `hold`.
@Suite(.serialized, .ownThreads, .timeLimit(.minutes(8))) struct ProcessTreeOnAFixtureTests {
    @Test func theTracedProcessShowsItsStateCPUAndHeldThreads() async throws {
        let child = try ChildProcess(path: BuiltProducts.path("fixture-threads-nofp"),
                                     arguments: ["--spinners", "2", "--workers", "1"])
        try child.waitForLine(startingWith: "ready")
        let engine = TraceEngine()
        let pid = try await engine.attach(child.pid)
        var feed = ThreadFeed()
        let snapshot = try await engine.snapshot(pid, stackBytes: 4096, details: .waitChannel)
        _ = feed.update(snapshot, heldAtBirth: [], grouping: false, now: 1, actions: HoldActions(engine: engine))
        let held = HeldThreadCounts.perProcess(
            heldAtBirth: await engine.heldAtBirth(), heldOnFlags: feed.survey?.heldBy.keys ?? [:].keys, of: pid)
        #expect(held == [pid: 2])

        var watched = WatchedProcesses()
        watched.attach(pid)
        func rows(at now: Double) -> [ProcessTreeRow] {
            watched.treeRows(traced: [pid], heldAtBirth: [], heldThreads: held, now: now) { ProcFS().processListing() }
        }
        // The same share measured independently, over an interval just around the rows'.
        func ticks() throws -> UInt64 {
            let stat = try #require(ProcFS().stat(pid))
            return stat.userTicks + stat.systemTicks
        }
        let ticksBefore = try ticks()
        let start = Double(MonotonicClock.microseconds()) / 1e6
        let first = try #require(rows(at: start).first { $0.pid == pid })
        #expect(first.cpuPercent == nil, "one refresh has no share yet")
        #expect(first.heldThreads == 2 && first.traced)
        try await Task.sleep(for: .seconds(1))
        let end = Double(MonotonicClock.microseconds()) / 1e6
        let all = rows(at: end)
        let measured = Double(try ticks() - ticksBefore) / Double(sysconf(Int32(_SC_CLK_TCK))) / (end - start) * 100
        let row = try #require(all.first { $0.pid == pid })
        // The leader sleeps in nanosleep; two spinners share the machine's two
        // cores with whatever else runs, so their share is compared with the
        // one measured, not with a fixed figure: a busy machine gives them little.
        #expect(row.state == "S")
        let cpu = try #require(row.cpuPercent)
        #expect(cpu > 0 && cpu < 210, "\(cpu)")
        // A quarter and a few ticks either side: the readings are milliseconds
        // apart, more when the machine preempts this test between them.
        #expect(abs(cpu - measured) <= measured / 4 + 5, "pane 1 says \(cpu)%, /proc says \(measured)%")
        let us = try #require(all.first { $0.pid == getpid() })
        #expect(us.heldThreads == 0 && us.state != nil)
        await engine.close()
    }
}
