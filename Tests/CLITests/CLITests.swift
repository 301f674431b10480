import Foundation
import ProcFS
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

@Suite(.timeLimit(.minutes(8))) struct CLITests {
    let lwpscope = BuiltProducts.path("lwpscope")

    func startFixture(_ name: String = "fixture-threads-nofp") throws -> ChildProcess {
        let child = try ChildProcess(path: BuiltProducts.path(name))
        try child.waitForLine(startingWith: "ready")
        return child
    }

    @Test func threadsJSONListsExactlyTheTwelveThreads() throws {
        let child = try startFixture()
        let result = try run(lwpscope, ["threads", String(child.pid), "--json"])
        #expect(result.exitCode == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(json["pid"] as? Int == Int(child.pid))
        #expect((json["command"] as? String)?.hasSuffix("fixture-threads-nofp") == true)
        #expect((json["stoppedMicroseconds"] as? Int ?? 0) > 0)
        let threads = try #require(json["threads"] as? [[String: Any]])
        let procfs = ProcFS()
        let tids = try #require(procfs.threadIDs(child.pid))
        #expect(tids.count == 12)
        #expect(threads.compactMap { $0["tid"] as? Int } == tids.map(Int.init))
        for thread in threads {
            let tid = Int32(thread["tid"] as? Int ?? 0)
            #expect(thread["name"] as? String == procfs.comm(child.pid, thread: tid))
            let pc = try #require(thread["pc"] as? String)
            let sp = try #require(thread["sp"] as? String)
            #expect(pc.hasPrefix("0x") && UInt64(pc.dropFirst(2), radix: 16).map { $0 > 0x1000 } == true)
            #expect(sp.hasPrefix("0x") && UInt64(sp.dropFirst(2), radix: 16).map { $0 > 0x1000 } == true)
            #expect(thread["state"] is String && thread["cpu"] is Int)
            #expect(thread.keys.contains("wchan"))
        }
        #expect(TaskStates.untraced(child.pid), "\(TaskStates.of(child.pid))")
    }

    @Test func psJSONShowsTheFixtureWithTwelveThreads() throws {
        let child = try startFixture()
        let result = try run(lwpscope, ["ps", "--json"])
        #expect(result.exitCode == 0)
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        let row = try #require(rows.first { $0["pid"] as? Int == Int(child.pid) })
        #expect(row["threads"] as? Int == 12)
        #expect(row["ppid"] as? Int == Int(getpid()))
        #expect(row["user"] as? String == String(cString: getpwuid(getuid()).pointee.pw_name))
        #expect(row["state"] is String)
        #expect(row["cpuPercent"] is Double || row["cpuPercent"] is Int)
        #expect((row["rssKiB"] as? Int ?? 0) > 0)
        #expect((row["command"] as? String)?.hasSuffix("fixture-threads-nofp") == true)
        // A kernel thread is listed as ps shows it.
        let kthreadd = try #require(rows.first { $0["pid"] as? Int == 2 })
        #expect(kthreadd["command"] as? String == "[kthreadd]")
    }

    @Test func psTableHasTheColumns() throws {
        let result = try run(lwpscope, ["ps"])
        #expect(result.exitCode == 0)
        let header = result.stdout.split(separator: "\n").first.map(String.init) ?? ""
        for column in ["PID", "PPID", "USER", "THR", "S", "CPU%", "RSS", "START", "COMMAND"] {
            #expect(header.contains(column))
        }
        #expect(result.stdout.contains("\n    \(getpid()) ") || result.stdout.contains(" \(getpid()) "))
    }

    @Test func threadsTableIsReadable() throws {
        let child = try startFixture()
        let result = try run(lwpscope, ["threads", String(child.pid)])
        #expect(result.exitCode == 0)
        #expect(result.stdout.contains("pid \(child.pid) "))
        #expect(result.stdout.contains("spinner-1"))
        #expect(result.stdout.contains("hrtimer_nanosleep"))
        #expect(TaskStates.untraced(child.pid))
    }

    @Test func missingPidIsOneLineNamingIt() throws {
        let result = try run(lwpscope, ["threads", "999999"])
        #expect(result.exitCode != 0 && result.exitCode != nil)
        #expect(result.stdout.isEmpty)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.contains("999999") == true)
    }

    @Test(arguments: [
        (["threads", "2"], "kernel thread"),
        (["threads", "0"], "no process with pid 0"),
    ])
    func refusalsAreOneClearLine(arguments: [String], expected: String) throws {
        let result = try run(lwpscope, arguments)
        #expect(result.exitCode == 1)
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(result.stderr.contains(expected), "\(result.stderr)")
    }

    @Test func ownPidIsRefused() throws {
        // `lwpscope threads $$` from a shell that execs itself into lwpscope.
        let result = try run("/bin/sh", ["-c", "exec \(lwpscope) threads $$"])
        #expect(result.exitCode == 1)
        #expect(result.stderr.contains("lwpscope itself"), "\(result.stderr)")
    }

    @Test func alreadyTracedNamesTheTracer() throws {
        let child = try startFixture()
        let probe = try ChildProcess(path: BuiltProducts.path("engine-probe"), arguments: [String(child.pid)])
        try probe.waitForLine(startingWith: "stopped")
        let result = try run(lwpscope, ["threads", String(child.pid)])
        #expect(result.exitCode == 1)
        #expect(result.stderr.contains("already traced by pid \(probe.pid) (engine-probe)"), "\(result.stderr)")
        probe.terminate()
        #expect(TaskStates.untraced(child.pid))
    }

    @Test func preStoppedTargetStaysStopped() throws {
        let child = try startFixture()
        kill(child.pid, SIGSTOP)
        for _ in 0..<200 where !TaskStates.of(child.pid).allSatisfy({ $0.state == .stopped }) { usleepMillis(10) }
        let result = try run(lwpscope, ["threads", String(child.pid), "--json"])
        #expect(result.exitCode == 0)
        #expect(result.stdout.contains("\"state\" : \"T\""))
        #expect(holdsThroughout(seconds: 0.1) { TaskStates.of(child.pid).allSatisfy { $0.state == .stopped && $0.tracerID == 0 } },
                "\(TaskStates.of(child.pid))")
        kill(child.pid, SIGCONT)
    }

    @Test func noTerminalIsOneClearLine() throws {
        // Without arguments lwpscope is the full-screen inspector; our stdin is /dev/null.
        let result = try run(lwpscope, [])
        #expect(result.exitCode == 1)
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(result.stderr.contains("needs a terminal"))
    }

    @Test func helpListsEveryCommand() throws {
        let result = try run(lwpscope, ["--help"])
        #expect(result.exitCode == 0)
        for command in ["inspect", "ps", "threads", "dump", "hold"] {
            #expect(result.stdout.contains("  \(command) "), "\(command)")
        }
    }
}
