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
        let result = try run(lwpscope, ["dump", "999999"])
        #expect(result.exitCode == 1)
        #expect(result.stderr == "lwpscope: no process with pid 999999\n")
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
