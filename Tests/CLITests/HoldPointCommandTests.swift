import Foundation
import CPtrace
import ProcFS
import Synchronization
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Issue 15's acceptance for `lwpscope hold PID --at LOCATION`, on
/// fixture-points: its threads call point_target every 20 ms and print a
/// line per call, so a test sees who is parked and who runs on.
@Suite(.serialized, .timeLimit(.minutes(8))) struct HoldPointCommandTests {
    /// `lwpscope hold PID --at ... --json` running, its event lines read as they come.
    final class HoldAt: @unchecked Sendable {
        let process: ChildProcess
        private final class Lines: Sendable { let all = Mutex<[String]>([]) }
        private let lines = Lines()

        init(_ pid: Int32, _ arguments: [String]) throws {
            process = try ChildProcess(path: BuiltProducts.path("lwpscope"), arguments: ["hold", String(pid), "--json"] + arguments,
                                       withInput: true)
            let reader = Thread { [process, lines] in
                while let line = process.readLine(timeout: 3600) { lines.all.withLock { $0.append(line) } }
            }
            reader.start()
        }

        func events(_ kind: String) -> [[String: Any]] {
            lines.all.withLock { $0 }.compactMap { line in
                guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                      object["event"] as? String == kind else { return nil }
                return object
            }
        }

        func parkedTids() -> [Int32] { events("parked").compactMap { ($0["tid"] as? Int).map(Int32.init) } }

        /// Sends `command` and waits for lwpscope to exit; its exit status (nil: it did not).
        func finish(_ command: String?) -> Int32? {
            if let command { process.send(command) } else { process.closeInput() }
            guard let status = process.waitForExit(timeout: 15) else { return nil }
            return lwp_wifexited(status) != 0 ? lwp_wexitstatus(status) : 128 + lwp_wtermsig(status)
        }
    }

    func checkRestored(_ fixture: PointFixture, pids: [Int32], function: String = "point_target") throws {
        let address = try fixture.runtimeAddress(of: function)
        for pid in pids {
            #expect(TaskStates.untraced(pid), "\(TaskStates.of(pid))")
            let memory = try #require(readMemory(pid, address, 32))
            #expect(memory == (try PointFixture.fileBytes(of: pid, at: address, count: 32)), "\(function) in \(pid) is not the file's code")
        }
    }

    func readMemory(_ pid: Int32, _ address: UInt64, _ count: Int) -> [UInt8]? {
        let fd = open("/proc/\(pid)/mem", O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: count)
        return pread(fd, &bytes, count, off_t(Int64(address))) == count ? bytes : nil
    }

    @Test func aFunctionParksAllFourAndOneReleaseIsOneMoreCall() throws {
        let fixture = try PointFixture(arguments: ["--others", "0"])
        defer { fixture.stop() }
        #expect(waitUntil(timeout: 5) { fixture.callers().count == 4 })
        let callers = Set(fixture.callers().keys)
        let hold = try HoldAt(fixture.pid, ["--at", "point_target"])
        #expect(waitUntil(timeout: 10) { !hold.events("point").isEmpty }, "no point event: \(hold.process.standardError())")
        let pointSet = Date()
        #expect(waitUntil(timeout: 5) { Set(hold.parkedTids()) == callers }, "parked \(hold.parkedTids()), callers \(callers)")
        #expect(Date().timeIntervalSince(pointSet) < 1.0, "all four parked only after \(Date().timeIntervalSince(pointSet)) s")
        let frozen = callers.map { ($0, fixture.calls($0)) }
        usleepMillis(300)
        #expect(frozen.allSatisfy { fixture.calls($0.0) == $0.1 }, "a parked thread went on calling")

        let (chosen, before) = frozen[0]
        hold.process.send("release \(chosen)")
        #expect(waitUntil(timeout: 5) { hold.parkedTids().filter { $0 == chosen }.count == 2 }, "\(chosen) did not park again")
        #expect(hold.events("released").contains { $0["tid"] as? Int == Int(chosen) })
        usleepMillis(100)
        #expect(fixture.calls(chosen) == before + 1, "one release, \(fixture.calls(chosen) - before) calls")
        #expect(frozen.dropFirst().allSatisfy { fixture.calls($0.0) == $0.1 })

        // `list`: the point with its parked threads, beside the flags (none here).
        hold.process.send("list")
        #expect(waitUntil(timeout: 5) { !hold.events("list").isEmpty })
        let list = try #require(hold.events("list").first)
        let points = try #require(list["points"] as? [[String: Any]])
        #expect(points.count == 1 && points.first?["location"] as? String == "point_target", "\(list)")
        #expect(Set((points.first?["parkedThreads"] as? [Int] ?? []).map(Int32.init)) == callers, "\(list)")
        #expect((list["flags"] as? [Any])?.isEmpty == true, "\(list)")
        #expect(list["pid"] as? Int == Int(fixture.pid))

        #expect(hold.finish("quit") == 0)
        try checkRestored(fixture, pids: [fixture.pid])
        let after = callers.map { ($0, fixture.calls($0)) }
        #expect(waitUntil(timeout: 2) { after.allSatisfy { fixture.calls($0.0) > $0.1 } }, "the callers must run on")
    }

    @Test func aFileAndLineParksEveryCallerThereAndSIGTERMLeavesCleanly() throws {
        let fixture = try PointFixture()
        defer { fixture.stop() }
        let line = try PointFixture.pointLine()
        #expect(waitUntil(timeout: 5) { fixture.callers().count == 5 })
        let hold = try HoldAt(fixture.pid, ["--at", "main.c:\(line)"])
        #expect(waitUntil(timeout: 10) { Set(hold.parkedTids()) == Set(fixture.callers().keys) },
                "parked \(hold.parkedTids()): \(hold.process.standardError())")
        let parked = try #require(hold.events("parked").first)
        #expect(parked["line"] as? Int == line)
        #expect((parked["file"] as? String)?.hasSuffix("main.c") == true)
        #expect(parked["function"] as? String == "point_target")
        let point = try #require(hold.events("point").first)
        #expect((point["module"] as? String)?.hasSuffix("/fixture-points") == true)
        kill(hold.process.pid, SIGTERM)
        #expect(hold.finish(nil) == 0)
        try checkRestored(fixture, pids: [fixture.pid])
    }

    @Test func aThreadGlobLetsTheOthersRunThrough() throws {
        let fixture = try PointFixture()
        defer { fixture.stop() }
        #expect(waitUntil(timeout: 5) { fixture.callers().count == 5 })
        let other = try #require(fixture.callers().first { $0.value == "other-1" }?.key)
        let hold = try HoldAt(fixture.pid, ["--at", "point_target", "--thread", "caller-*"])
        #expect(waitUntil(timeout: 10) { hold.parkedTids().count == 4 }, "\(hold.process.standardError())")
        #expect(!hold.parkedTids().contains(other))
        let otherBefore = fixture.calls(other)
        usleepMillis(300)
        #expect(fixture.calls(other) >= otherBefore + 5, "other-1 must keep calling through the point")
        #expect(!hold.parkedTids().contains(other))
        // EOF on stdin ends it as `quit` does.
        #expect(hold.finish(nil) == 0)
        try checkRestored(fixture, pids: [fixture.pid])
    }

    @Test func aChildForkedAfterThePointIsSetParksAndRunsOnAfterQuit() throws {
        let fixture = try PointFixture(arguments: ["--callers", "1", "--others", "0"])
        defer { fixture.stop() }
        let hold = try HoldAt(fixture.pid, ["--at", "point_target"])
        #expect(waitUntil(timeout: 10) { hold.parkedTids().count == 1 }, "\(hold.process.standardError())")
        let child = try fixture.forkChild()
        #expect(waitUntil(timeout: 5) { hold.events("parked").contains { $0["pid"] as? Int == Int(child) } },
                "the child \(child) was not parked: \(hold.events("parked"))")
        #expect(fixture.calls(child) == 0)
        #expect(hold.finish("quit") == 0)
        try checkRestored(fixture, pids: [fixture.pid, child])
        #expect(waitUntil(timeout: 2) { fixture.calls(child) >= 2 }, "the child must run on")
    }

    @Test func aNameThatIsNotThereIsOneLineAndNothingTraced() throws {
        let fixture = try PointFixture()
        defer { fixture.stop() }
        let hold = try HoldAt(fixture.pid, ["--at", "no_such_function_here"])
        #expect(hold.finish(nil) == 1)
        let message = hold.process.standardError()
        #expect(message.contains("no_such_function_here") && message.split(separator: "\n").count == 1, "\(message)")
        #expect(hold.events("point").isEmpty)
        #expect(TaskStates.untraced(fixture.pid))
    }

    @Test func aProgramThatExecsItselfHasThePointsSetAgainInItsNewImage() throws {
        let fixture = try PointFixture(arguments: ["--callers", "2", "--others", "0", "--exec-on-sigusr2", "self"])
        defer { fixture.stop() }
        #expect(waitUntil(timeout: 5) { fixture.callers().count == 2 })
        let old = Set(fixture.callers().keys)
        let hold = try HoldAt(fixture.pid, ["--at", "point_target"])
        #expect(waitUntil(timeout: 10) { Set(hold.parkedTids()) == old }, "\(hold.process.standardError())")
        kill(fixture.pid, SIGUSR2)
        // The new image's two callers (new threads) park at the point set again.
        #expect(waitUntil(timeout: 10) { hold.events("point").count == 2 }, "points: \(hold.events("point"))")
        #expect(waitUntil(timeout: 10) { Set(hold.parkedTids()).subtracting(old).count == 2 },
                "parked \(hold.parkedTids()); \(hold.process.standardError())")
        let fresh = Set(hold.parkedTids()).subtracting(old)
        #expect(fresh.allSatisfy { fixture.calls($0) == 0 }, "a new caller ran past the point")
        #expect(hold.finish("quit") == 0)
        try checkRestored(fixture, pids: [fixture.pid])
        #expect(waitUntil(timeout: 2) { fresh.allSatisfy { fixture.calls($0) >= 2 } }, "the new callers must run on")
    }

    @Test func anImageWithoutTheNameLeavesThePointPending() throws {
        let fixture = try PointFixture(arguments: ["--callers", "1", "--others", "0", "--exec-on-sigusr2", "/bin/sleep"])
        defer { fixture.stop() }
        let hold = try HoldAt(fixture.pid, ["--at", "point_target"])
        #expect(waitUntil(timeout: 10) { hold.parkedTids().count == 1 }, "\(hold.process.standardError())")
        kill(fixture.pid, SIGUSR2)
        #expect(waitUntil(timeout: 10) { !hold.events("pending").isEmpty }, "no pending event: \(hold.events("point"))")
        let pending = try #require(hold.events("pending").first)
        #expect(pending["location"] as? String == "point_target")
        #expect(pending["pid"] as? Int == Int(fixture.pid))
        #expect((pending["reason"] as? String)?.contains("point_target") == true, "\(pending)")
        #expect(hold.finish("quit") == 0)
        #expect(TaskStates.untraced(fixture.pid), "\(TaskStates.of(fixture.pid))")
        #expect(ProcFS().comm(fixture.pid, thread: fixture.pid) == "sleep")
    }

    /// At the exec stop only the program and the loader are mapped: a point in
    /// libc is pending until the loader has mapped it, and set before `main`.
    @Test func aLibraryPointIsSetAgainBeforeTheNewImageRunsItsCode() throws {
        let fixture = try PointFixture(arguments: ["--callers", "2", "--others", "0", "--exec-on-sigusr2", "self"])
        defer { fixture.stop() }
        #expect(waitUntil(timeout: 5) { fixture.callers().count == 2 })
        let old = Set(fixture.callers().keys)
        let hold = try HoldAt(fixture.pid, ["--at", "nanosleep"])
        #expect(waitUntil(timeout: 10) { Set(hold.parkedTids()) == old }, "\(hold.process.standardError())")
        kill(fixture.pid, SIGUSR2)
        #expect(waitUntil(timeout: 10) { Set(hold.parkedTids()).subtracting(old).count == 2 },
                "parked \(hold.parkedTids()); points \(hold.events("point")); \(hold.process.standardError())")
        // Parked at their first nanosleep: one call line each, not the dozens a late point would allow.
        let fresh = Set(hold.parkedTids()).subtracting(old)
        #expect(fresh.allSatisfy { fixture.calls($0) == 1 }, "\(fresh.map { fixture.calls($0) })")
        #expect(hold.events("point").count == 2)
        #expect(hold.events("point").last.flatMap { $0["module"] as? String }?.contains("libc") == true)
        #expect(hold.finish("quit") == 0)
        #expect(TaskStates.untraced(fixture.pid), "\(TaskStates.of(fixture.pid))")
        #expect(waitUntil(timeout: 2) { fresh.allSatisfy { fixture.calls($0) >= 3 } }, "the new callers must run on")
    }
}
