import Foundation
import ProcFS
import Testing
import TestSupport

@Suite(.timeLimit(.minutes(8))) struct DumpCommandTests {
    let lwpscope = BuiltProducts.path("lwpscope")

    func startFixture() throws -> ChildProcess {
        let child = try ChildProcess(path: BuiltProducts.path("fixture-threads-nofp"))
        try child.waitForLine(startingWith: "ready")
        return child
    }

    @Test(arguments: ["all-stop", "per-thread"])
    func jsonHasEveryThreadWithFrames(mode: String) throws {
        let child = try startFixture()
        let result = try run(lwpscope, ["dump", String(child.pid), "--json", "--mode", mode])
        #expect(result.exitCode == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(json["pid"] as? Int == Int(child.pid))
        #expect(json["stoppedMicroseconds"] is Int)
        let threads = try #require(json["threads"] as? [[String: Any]])
        #expect(threads.count == 12)
        for thread in threads {
            #expect(thread["tid"] is Int && thread["name"] is String && thread["state"] is String)
            let frames = try #require(thread["frames"] as? [[String: Any]])
            #expect(frames.count >= 3, "\(thread)")
            for (i, frame) in frames.enumerated() {
                #expect(frame["index"] as? Int == i)
                #expect((frame["pc"] as? String)?.hasPrefix("0x") == true)
                #expect(frame["offset"] is Int)
                #expect(frame.keys.contains("function") && frame.keys.contains("module"))
            }
        }
        let spinner = try #require(threads.first { $0["name"] as? String == "spinner-1" })
        let top = try #require((spinner["frames"] as? [[String: Any]])?.first)
        #expect(top["function"] as? String == "spin_on_hold")
        #expect((top["module"] as? String)?.hasSuffix("/fixture-threads-nofp") == true)
        #expect(TaskStates.untraced(child.pid))
    }

    @Test func textLooksLikeEuStack() throws {
        let child = try startFixture()
        let result = try run(lwpscope, ["dump", String(child.pid)])
        #expect(result.exitCode == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        let header = try #require(lines.firstIndex { $0.hasPrefix("Thread 0x") && $0.contains(" \"spinner-1\" ") })
        #expect(lines[header + 1].hasPrefix("#0  0x"))
        #expect(lines[header + 1].contains(" spin_on_hold+0x"))
        #expect(lines[header + 1].contains("/fixture-threads-nofp) at "), "\(lines[header + 1])")
        #expect(lines[header + 1].hasSuffix("/Tests/Fixtures/Shared/threads_fixture.inc.c:38"), "\(lines[header + 1])")
        #expect(lines[header + 2].hasPrefix("#1  0x") && lines[header + 2].contains("thread_main+0x"))
        #expect(TaskStates.untraced(child.pid))
    }

    @Test func missingPidIsOneLine() throws {
        // The short forms skip ArgumentParser; --mode takes the parsed way: the same line either way.
        for arguments in [["999999"], ["999999", "--json"], ["--no-arguments", "999999"], ["999999", "--mode", "all-stop"]] {
            let result = try run(lwpscope, ["dump"] + arguments)
            #expect(result.exitCode == 1, "\(arguments)")
            #expect(result.stderr == "lwpscope: no process with pid 999999\n", "\(arguments)")
        }
    }

    /// `dump PID [--json] [--no-arguments]` is read without ArgumentParser
    /// (DumpShortcut): it must print what the parsed command prints, and
    /// leave whatever it does not take to ArgumentParser's errors.
    @Test func shortFormsPrintWhatTheParsedCommandPrints() throws {
        let child = try startFixture()
        // Spinners' top frames move along their loop between runs; everything else holds still.
        func frames(_ arguments: [String]) throws -> [String] {
            let result = try run(lwpscope, ["dump"] + arguments)
            try #require(result.exitCode == 0, "\(arguments): \(result.stderr)")
            return result.stdout.split(separator: "\n").map(String.init).filter { $0.hasPrefix("#") && !$0.contains("spin_on") }
        }
        let pid = String(child.pid)
        let parsed = try frames([pid, "--mode", "all-stop"])
        #expect(parsed.count > 30 && parsed.contains { $0.contains("thread_main+0x") && $0.contains("(") })
        #expect(try frames([pid]) == parsed)
        #expect(try frames(["--no-arguments", pid]) == (try frames([pid, "--no-arguments", "--max-depth", "1000"])))
        #expect(try frames(["--no-arguments", pid]) != parsed, "arguments were not left out")

        func framesInJSON(_ arguments: [String]) throws -> String {
            let result = try run(lwpscope, ["dump"] + arguments)
            try #require(result.exitCode == 0, "\(arguments): \(result.stderr)")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            // Frames only: a thread's state and CPU time move between runs.
            let frames = try #require(json["threads"] as? [[String: Any]])
                .filter { !(($0["name"] as? String) ?? "").hasPrefix("spinner") }.map { $0["frames"] ?? [] }
            return String(decoding: try JSONSerialization.data(withJSONObject: frames, options: .sortedKeys), as: UTF8.self)
        }
        #expect(try framesInJSON([pid, "--json"]) == (try framesInJSON(["--json", pid, "--stack-bytes", "16384"])))

        for (arguments, complaint) in [(["12x"], "'12x' is invalid for '<pid>'"), (["0x10"], "'0x10' is invalid for '<pid>'"),
                                       ([pid, "--jsn"], "Unknown option '--jsn'"), ([], "Missing expected argument '<pid>'")] {
            let result = try run(lwpscope, ["dump"] + arguments)
            #expect(result.exitCode == 64, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains(complaint), "\(arguments): \(result.stderr)")
        }
        #expect(TaskStates.untraced(child.pid))
    }
}

@Suite(.timeLimit(.minutes(8))) struct DumpUnderChurnTests {
    @Test func twentyDumpsInARowUnderThreadChurnAllSucceed() throws {
        let child = try ChildProcess(path: BuiltProducts.path("fixture-churn"))
        try child.waitForLine(startingWith: "ready")
        for round in 0..<20 {
            let result = try run(BuiltProducts.path("lwpscope"), ["dump", String(child.pid), "--json"])
            #expect(result.exitCode == 0, "round \(round): \(result.stderr)")
            #expect(result.stdout.contains("\"name\" : \"steady\""), "round \(round)")
        }
        #expect(TaskStates.untraced(child.pid), "\(TaskStates.of(child.pid))")
    }
}
