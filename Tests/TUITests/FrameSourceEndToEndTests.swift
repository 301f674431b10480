import Foundation
import ProcFS
import Testing
import TestSupport

/// Enter on a frame in pane 3: its source with the line marked, in tmux.
@Suite(.timeLimit(.minutes(4))) struct FrameSourceEndToEndTests {
    let lwpscope = BuiltProducts.path("lwpscope")

    func startFixture() throws -> ChildProcess {
        let child = try ChildProcess(path: BuiltProducts.path("fixture-threads-nofp"), arguments: ["--spinners", "2"])
        try child.waitForLine(startingWith: "ready")
        return child
    }

    func tid(_ pid: Int32, _ name: String) throws -> Int32 {
        try #require(ProcFS().threads(pid)?.first { $0.name == name }?.id)
    }

    /// The spinner parked in `while (hold)`, its frame #0 opened.
    func openSpinnerFrame(_ tmux: TmuxSession, _ target: ChildProcess) throws -> [String] {
        try tmux.waitFor("spinner-2")
        try tmux.send("2")
        try tmux.send("Down")
        try tmux.waitFor("Backtrace \(try tid(target.pid, "spinner-1"))")
        try tmux.send("Enter")  // to pane 3
        try tmux.send("Enter")  // frame #0
        _ = try tmux.waitFor("#0 spin_on_hold at threads_fixture.inc.c:38")
        // The title comes first in the output stream: wait for the body too.
        return try tmux.waitUntil(timeout: 10) { $0.contains { $0.contains("▶") || $0.contains("not found; looked for") } }
    }

    @Test func theSpinnersFrameShowsWhileHoldMarkedAndItsCallerTheCall() throws {
        guard TmuxSession.isAvailable else { Issue.record("tmux missing"); return }
        let target = try startFixture()
        let tmux = try TmuxSession(width: 120, height: 40, command: lwpscope, arguments: [String(target.pid)])
        let screen = try openSpinnerFrame(tmux, target)
        let marked = screen.filter { $0.contains("▶") }
        #expect(marked.count == 1 && marked.first?.contains("38  ") == true && marked.first?.contains("while (hold)") == true,
                "\(screen.joined(separator: "\n"))")
        #expect(screen.contains { $0.contains("37  ") && $0.contains("mark_parked(PARK_SPIN);") }, "the lines around it")

        try tmux.send("Escape")
        try tmux.send("Down")
        try tmux.send("Enter")
        _ = try tmux.waitFor("#1 thread_main at threads_fixture.inc.c:116")
        // The title comes first in the output stream: wait for the body too.
        let caller = try tmux.waitUntil(timeout: 10) { $0.contains { $0.contains("▶") && $0.contains("116  ") } }
        #expect(caller.contains { $0.contains("▶") && $0.contains("116  ") && $0.contains("start->body()") },
                "\(caller.joined(separator: "\n"))")
        try tmux.send("Escape")
        try tmux.send("q")
        #expect(tmux.exitStatus() == 0)
        #expect(TaskStates.untraced(target.pid), "\(TaskStates.of(target.pid))")
    }

    @Test func aFileThatIsNotThereSaysWhereItWasLookedFor() throws {
        guard TmuxSession.isAvailable else { Issue.record("tmux missing"); return }
        let target = try startFixture()
        let shared = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/Shared").path
        let tmux = try TmuxSession(width: 160, height: 40, command: lwpscope,
                                   arguments: ["--source-map", "\(shared)=/nonexistent", String(target.pid)])
        let screen = try openSpinnerFrame(tmux, target)
        let text = screen.joined(separator: "\n")
        #expect(text.contains("not found; looked for /nonexistent/threads_fixture.inc.c"), "\(text)")
        #expect(!screen.contains { $0.contains("▶") })
        try tmux.send("Escape")
        try tmux.send("q")
        #expect(tmux.exitStatus() == 0)
        #expect(TaskStates.untraced(target.pid))
    }

    /// args.c's recursion: the frame of `recurse` lists its arguments, and
    /// `park`'s its local, both as gdb prints them.
    @Test func aRecursiveFramesArgumentsAndAFramesLocalsAreListed() throws {
        guard TmuxSession.isAvailable, let gcc = findExecutable("gcc") else { Issue.record("tmux or gcc missing"); return }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lwpscope-tui-args-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let programs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Programs/args.c").path
        let build = try run(gcc, ["-O2", "-g", "-pthread", "-o", dir + "/args", programs], timeout: 300)
        try #require(build.exitCode == 0, "gcc: \(build.stderr)")
        let target = try startFreshBinary(dir + "/args")
        defer { target.terminate() }
        try target.waitForLine(startingWith: "ready", timeout: 30)
        let tmux = try TmuxSession(width: 160, height: 50, command: lwpscope, arguments: [String(target.pid)])
        try tmux.waitFor("2 Threads")
        try tmux.send("2")
        // The thread parked at the bottom of the recursion.
        var screen: [String] = []
        for _ in 0 ..< 8 {
            try tmux.send("Down")
            screen = try tmux.waitUntil(timeout: 3) { $0.contains { $0.contains("recurse+0x") } }
            if screen.contains(where: { $0.contains("recurse+0x") }) { break }
        }
        #expect(screen.contains { $0.contains("recurse+0x") && $0.contains("(n=n@entry=") }, "\(screen.joined(separator: "\n"))")
        try tmux.send("3")
        try tmux.send("Down", "Down", "Down")  // #0 inline read, #1 read, #2 park, #3 recurse
        try tmux.send("Enter")
        _ = try tmux.waitFor("#3 recurse at args.c:")
        let recursion = try tmux.waitUntil(timeout: 10) { $0.contains { $0.contains("Locals") } && $0.contains { $0.contains("▶") } }
        #expect(recursion.contains { $0.contains("Arguments") }, "\(recursion.joined(separator: "\n"))")
        #expect(recursion.contains { $0.contains(" n ") && $0.contains("= 0 (@entry)") }, "\(recursion.joined(separator: "\n"))")
        #expect(recursion.contains { $0.contains("total") && $0.contains("(@entry)") })
        #expect(recursion.contains { $0.contains("Locals") } && recursion.contains { $0.contains(" r ") && $0.contains("<optimized out>") })
        try tmux.send("Escape")
        try tmux.send("Up")
        try tmux.send("Enter")
        _ = try tmux.waitFor("#2 park at args.c:")
        let park = try tmux.waitUntil(timeout: 10) { $0.contains { $0.contains("byte") } && $0.contains { $0.contains("▶") } }
        #expect(park.contains { $0.contains("byte") && $0.contains("= 0 '\\000'") }, "\(park.joined(separator: "\n"))")
        #expect(park.contains { $0.contains("why") && $0.contains("\"bottom of the recursion\"") })
        try tmux.send("Escape")
        try tmux.send("q")
        #expect(tmux.exitStatus() == 0)
        #expect(TaskStates.untraced(target.pid))
    }
}
