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
        return try tmux.waitFor("#0 spin_on_hold at threads_fixture.inc.c:38")
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
        let caller = try tmux.waitFor("#1 thread_main at threads_fixture.inc.c:116")
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
}
