import Foundation
import ProcFS
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Issue 15's inspector, driven in tmux: `b` with Tab completion sets a
/// hold point, the callers show it in HELD, `r` releases one (it parks
/// again), Space in pane 4 removes the point, and `q` leaves the program
/// untraced with its own code.
@Suite(.timeLimit(.minutes(8))) struct HoldPointEndToEndTests {
    let lwpscope = BuiltProducts.path("lwpscope")

    @Test func bSetsAPointThatParksTheCallersAndSpaceRemovesIt() throws {
        guard TmuxSession.isAvailable else { Issue.record("tmux missing"); return }
        let fixture = try PointFixture(arguments: ["--callers", "4", "--others", "0"])
        let address = try fixture.runtimeAddress(of: "point_target")
        let tmux = try TmuxSession(width: 200, height: 50, command: lwpscope, arguments: [String(fixture.pid)])
        try step(tmux, "caller-4")
        try tmux.send("b")
        try step(tmux, "Hold point at:")
        try tmux.send("point_tar", literal: true)
        try tmux.send("Tab")
        try step(tmux, "Hold point at: point_target_")
        try tmux.send("Enter")
        // Every caller parked: four rows say so in HELD.
        let parked = try tmux.waitUntil(timeout: 60) { screen in
            screen.filter { $0.contains("@point_target") && $0.contains("caller-") }.count == 4
        }
        #expect(parked.filter { $0.contains("@point_target") }.count >= 4)
        let callers = fixture.callers().keys.sorted()
        try #require(callers.count == 4)
        let before = Dictionary(uniqueKeysWithValues: callers.map { ($0, fixture.calls($0)) })
        usleep(300_000)
        for tid in callers { #expect(fixture.calls(tid) == before[tid], "caller \(tid) ran on while parked") }

        // `r` on caller-1, picked out with the filter.
        let first = try #require(fixture.callers().first { $0.value == "caller-1" }?.key)
        try tmux.send("/")
        try tmux.send("caller-1", literal: true)
        try tmux.send("Enter")
        try step(tmux, "Backtrace \(first)")
        try tmux.send("r")
        // One more call from it, and it is parked again.
        let deadline = Date().addingTimeInterval(30)
        while fixture.calls(first) == before[first]! && Date() < deadline { usleep(20_000) }
        usleep(300_000)
        #expect(fixture.calls(first) == before[first]! + 1, "released thread made \(fixture.calls(first) - before[first]!) calls")
        for tid in callers where tid != first { #expect(fixture.calls(tid) == before[tid], "caller \(tid) ran on while parked") }
        // Its parking again replaces the message at once, so the log is
        // where the release is read.
        try tmux.send("l")
        try step(tmux, "released thread \(first) from its hold point")
        try tmux.send("Escape")
        try step(tmux, "Backtrace \(first)")

        // Pane 4 lists the point; Space removes it and everyone runs.
        try tmux.send("4")
        try step(tmux, "points 1")
        try tmux.send("End")
        try tmux.send(" ", literal: true)
        try step(tmux, "removed hold point point_target")
        usleep(300_000)
        let after = Dictionary(uniqueKeysWithValues: callers.map { ($0, fixture.calls($0)) })
        usleep(300_000)
        for tid in callers { #expect(fixture.calls(tid) > after[tid]!, "caller \(tid) did not run on") }
        #expect(try tmux.capture().allSatisfy { !$0.contains("@point_target") })

        try tmux.send("q")
        #expect(tmux.exitStatus(timeout: 30) == 0)
        #expect(TaskStates.untraced(fixture.pid), "\(TaskStates.of(fixture.pid))")
        #expect(try readCode(fixture.pid, address) == PointFixture.fileBytes(of: fixture.pid, at: address, count: 32))
    }

    @Test func quittingWithThreadsParkedRestoresTheCodeAndLetsThemRun() throws {
        guard TmuxSession.isAvailable else { Issue.record("tmux missing"); return }
        let fixture = try PointFixture(arguments: ["--callers", "2", "--others", "2"])
        let address = try fixture.runtimeAddress(of: "point_target")
        let tmux = try TmuxSession(width: 200, height: 50, command: lwpscope, arguments: [String(fixture.pid)])
        try step(tmux, "caller-2")
        try setPoint(tmux, "point_target thread caller-*")
        // (The message saying it was set gives way at once to the parking's.)
        _ = try tmux.waitUntil(timeout: 60) { screen in
            screen.filter { $0.contains("@point_target") }.count == 2
        }
        let others = fixture.callers().filter { $0.value.hasPrefix("other-") }.map(\.key)
        try #require(others.count == 2)
        let before = others.map(fixture.calls)
        usleep(300_000)
        #expect(zip(others, before).allSatisfy { fixture.calls($0) > $1 }, "threads outside the glob stopped")
        try tmux.send("q")
        #expect(tmux.exitStatus(timeout: 30) == 0)
        #expect(TaskStates.untraced(fixture.pid), "\(TaskStates.of(fixture.pid))")
        #expect(try readCode(fixture.pid, address) == PointFixture.fileBytes(of: fixture.pid, at: address, count: 32))
        let callers = fixture.callers().filter { $0.value.hasPrefix("caller-") }.map(\.key)
        let counts = callers.map(fixture.calls)
        usleep(300_000)
        #expect(zip(callers, counts).allSatisfy { fixture.calls($0) > $1 }, "parked threads did not run on after q")
    }

    @Test func anExecSetsThePointAgainInTheNewImage() throws {
        guard TmuxSession.isAvailable else { Issue.record("tmux missing"); return }
        let fixture = try PointFixture(arguments: ["--callers", "2", "--others", "0", "--exec-on-sigusr2", "self"])
        let tmux = try TmuxSession(width: 200, height: 50, command: lwpscope, arguments: [String(fixture.pid)])
        try step(tmux, "caller-2")
        try setPoint(tmux, "point_target")
        _ = try tmux.waitUntil(timeout: 60) { $0.filter { $0.contains("@point_target") }.count == 2 }
        let old = Set(fixture.callers().keys)
        kill(fixture.pid, SIGUSR2)
        // New callers (new tids), parked again at the point set in the new image.
        let screen = try tmux.waitUntil(timeout: 60) { screen in
            let parked = screen.filter { $0.contains("@point_target") }
            return parked.count == 2 && !old.contains { tid in parked.contains { $0.contains(" \(tid) ") } }
        }
        #expect(screen.filter { $0.contains("@point_target") }.count == 2)
        try tmux.send("q")
        #expect(tmux.exitStatus(timeout: 30) == 0)
        #expect(TaskStates.untraced(fixture.pid), "\(TaskStates.of(fixture.pid))")
        let address = try fixture.runtimeAddress(of: "point_target")
        #expect(try readCode(fixture.pid, address) == PointFixture.fileBytes(of: fixture.pid, at: address, count: 32))
    }

    /// `b`, the location typed whole, Enter.
    func setPoint(_ tmux: TmuxSession, _ text: String) throws {
        try tmux.send("b")
        try step(tmux, "Hold point at:")
        try tmux.send(text, literal: true)
        try tmux.send("Enter")
    }

    func readCode(_ pid: Int32, _ address: UInt64) throws -> [UInt8] {
        let fd = open("/proc/\(pid)/mem", O_RDONLY)
        try #require(fd >= 0)
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: 32)
        #expect(pread(fd, &bytes, 32, off_t(Int64(bitPattern: address))) == 32)
        return bytes
    }

    @discardableResult
    func step(_ tmux: TmuxSession, _ text: String, timeout: Double = 90) throws -> [String] {
        do { return try tmux.waitFor(text, timeout: timeout) } catch {
            Issue.record("the screen never showed \(text)")
            throw error
        }
    }
}
