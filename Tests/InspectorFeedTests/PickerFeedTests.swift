@testable import Engine
import Foundation
import Inspector
import InspectorFeed
import ProcFS
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

@Suite struct PickerFeedTests {
    let hz = ProcFS.clockTicksPerSecond
    let user = Attacher(pid: 5001, userID: 1000, mayTraceAnyUser: false)

    @Test func cpuIsTheShareSinceTheLastListingNotTheLifetimeAverage() {
        var feed = PickerFeed()
        let first = feed.rows([Values.process(4242, parent: 1, command: "server", ticks: 1000)], now: 10, attacher: user)
        #expect(first[0].cpuPercent == 0, "one listing has no share yet")
        // Two seconds later: one second of CPU.
        let second = feed.rows([Values.process(4242, parent: 1, command: "server", ticks: 1000 + hz),
                                Values.process(4300, parent: 1, command: "new", ticks: 50)], now: 12, attacher: user)
        #expect(abs(second[0].cpuPercent - 50) < 0.01)
        #expect(second[1].cpuPercent == 0, "new since the last listing")
    }

    @Test func aReusedPidStartsAfresh() {
        var feed = PickerFeed()
        _ = feed.rows([Values.process(4242, parent: 1, command: "old", ticks: 10, start: 100)], now: 1, attacher: user)
        let rows = feed.rows([Values.process(4242, parent: 1, command: "new", ticks: 10 + hz, start: 200)], now: 2,
                             attacher: user)
        #expect(rows[0].cpuPercent == 0)
    }

    @Test func aContainedProcessCarriesItsContainersNameAndItsPidInThere() {
        var contained = Values.process(4242, parent: 1, command: "qemu")
        contained.container = "/system.slice/docker-ab12.scope"
        contained.namespacePID = 1
        let rows = PickerRows.make([contained, Values.process(4300, parent: 1, command: "host")], attacher: user) { _ in nil }
        #expect(rows[0].container == PickerContainer(name: "docker-ab12.scope", namespacePID: 1))
        #expect(rows[1].container == nil)
    }

    @Test func pidOneAndOurAncestorsCarryACautionAndOnlyWhenAttachable() {
        // init ─ sshd ─ bash ─ tmux ─ lwpscope (5001); bash's sibling is unrelated.
        let listing = [
            Values.process(1, parent: 0, command: "/sbin/init"),
            Values.process(600, parent: 1, command: "sshd", user: (0, "root")),
            Values.process(900, parent: 600, command: "-bash"),
            Values.process(950, parent: 900, command: "tmux"),
            Values.process(5001, parent: 950, command: "lwpscope"),
            Values.process(960, parent: 900, command: "vim"),
        ]
        let rows = PickerRows.make(listing, attacher: user) { _ in nil }
        func caution(_ pid: Int32) -> String? { rows.first { $0.pid == pid }!.caution }
        #expect(caution(1) == "PID 1 is init: stopping it stalls the whole system")
        #expect(caution(900) == "pid 900 is an ancestor of lwpscope: a stop may freeze this terminal")
        #expect(caution(950) == "pid 950 is an ancestor of lwpscope: a stop may freeze this terminal")
        #expect(caution(960) == nil)
        // Refused rows need no caution: sshd is root's, lwpscope is us.
        #expect(caution(600) == nil && caution(5001) == nil)
        #expect(rows.first { $0.pid == 5001 }!.whyNot == "that is lwpscope itself")
    }
}

/// The picker's rows from the real listing: a fixture we trace, a spinner.
@Suite(.serialized, .ownThreads, .timeLimit(.minutes(8))) struct PickerFeedOnAFixtureTests {
    @Test func aTracedProcessNamesItsTracersProcessNotItsEngineThread() async throws {
        let child = try ChildProcess(path: BuiltProducts.path("fixture-threads-nofp"), arguments: ["--workers", "1"])
        try child.waitForLine(startingWith: "ready")
        let engine = TraceEngine()
        _ = try await engine.attach(child.pid)
        let tracerThread = try #require(ProcFS().status(child.pid)?.tracerID)
        #expect(tracerThread != getpid(), "the engine traces from a thread of its own")
        var feed = PickerFeed()
        let row = try #require(feed.rows(ProcFS().processListing(), now: 1).first { $0.pid == child.pid })
        let us = try #require(ProcFS().process(ofThread: getpid()))
        #expect(!row.attachable)
        #expect(row.tracer == "\(getpid()) \(us.command)")
        #expect(row.whyNot == "pid \(child.pid) is already traced by pid \(getpid()) (\(us.command))")
        #expect(row.caution == nil)
        await engine.close()
    }

    @Test func aSpinnerUsesACPUNowAndOurParentIsAnAncestor() async throws {
        let child = try ChildProcess(path: BuiltProducts.path("fixture-threads-nofp"), arguments: ["--workers", "1"])
        try child.waitForLine(startingWith: "ready")
        var feed = PickerFeed()
        func ticks() throws -> UInt64 {
            let stat = try #require(ProcFS().stat(child.pid))
            return stat.userTicks + stat.systemTicks
        }
        let ticksBefore = try ticks()
        let start = Double(MonotonicClock.microseconds()) / 1e6
        _ = feed.rows(ProcFS().processListing(), now: start)
        try await Task.sleep(for: .seconds(1))
        let end = Double(MonotonicClock.microseconds()) / 1e6
        let rows = feed.rows(ProcFS().processListing(), now: end)
        let measured = Double(try ticks() - ticksBefore) / Double(sysconf(Int32(_SC_CLK_TCK))) / (end - start) * 100
        let spinner = try #require(rows.first { $0.pid == child.pid })
        // spinner-1 spins on one core, shared with whatever else runs: its
        // share is compared with the one /proc gives over the same second (a
        // quarter and a few ticks either side: the readings are apart a little).
        #expect(spinner.cpuPercent > 0 && spinner.cpuPercent < 210, "\(spinner.cpuPercent)")
        #expect(abs(spinner.cpuPercent - measured) <= measured / 4 + 5, "picker \(spinner.cpuPercent)%, /proc \(measured)%")
        #expect(spinner.caution == nil && spinner.attachable)
        let parent = try #require(rows.first { $0.pid == getppid() })
        if parent.attachable {
            #expect(parent.caution == "pid \(getppid()) is an ancestor of lwpscope: a stop may freeze this terminal")
        }
        if let initRow = rows.first(where: { $0.pid == 1 }), initRow.attachable {
            #expect(initRow.caution == "PID 1 is init: stopping it stalls the whole system")
        }
    }
}
