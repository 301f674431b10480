import Testing
@testable import Inspector

/// Messages have the bottom row while they last: the top line keeps the
/// title, state and filter, and a long message wraps instead of being cut.
@Suite struct MessageLineTests {
    static let long = StatusMessage(
        "cannot attach to 4242 ./server --workers 6: ptrace: Operation not permitted; kernel.yama.ptrace_scope is 1: run as root or set it to 0",
        severity: .error)

    @Test func aMessageTakesTheKeyBarRowAndLeavesTheTopLineAlone() {
        var state = Fixtures.mainState(selecting: 4244)
        _ = state.handle(.character("r"))
        let grid = state.render(width: 80, height: 24)
        let lines = grid.textDump().split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[0].hasPrefix("PID 4242 ./server --workers 6  LIVE every 1s  holding new  stall 312µs"))
        #expect(lines[23].hasPrefix("4244 worker-2 is not held; nothing to release"))
        #expect(grid[0, 23].style == Theme(colors: true).warning)
        #expect(!grid.textDump().contains("Quit"), "the key bar is under the message")
        _ = state.handle(.character("x"))
        #expect(state.render(width: 80, height: 24).textDump().contains("Quit"), "the next key brings it back")
    }

    @Test func aLongMessageWrapsAndTheScreenMakesRoom() {
        var state = Fixtures.pickerState()
        state.showMessage(Self.long)
        let grid = state.render(width: 80, height: 24)
        let lines = grid.textDump().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[22].hasPrefix("cannot attach to 4242 ./server --workers 6: ptrace: Operation not permitted;"))
        #expect(lines[23].hasPrefix("kernel.yama.ptrace_scope is 1: run as root or set it to 0"))
        #expect(lines[0].hasPrefix("lwpscope attach to a process  10 processes"))
        #expect(grid.droppedWrites == 0)
        #expect(state.screenHeight == 23)
    }

    @Test func onlyATerminalTooShortForAllOfItCutsIt() {
        let rows = MessageLine.rows(Self.long, width: 40, height: 12, screenMinimumHeight: 10, unicode: true)
        #expect(rows.count == 3, "the main screen keeps its 10 rows, counting the key bar's")
        #expect(rows.last?.last == "…")
        let all = MessageLine.rows(Self.long, width: 40, height: 40, screenMinimumHeight: 10, unicode: false)
        #expect(all.count == 4)
        #expect(all.joined(separator: " ") == Self.long.text)
        #expect(TerminalText.wrap("abc defgh", width: 3) == ["abc", "def", "gh"])
    }

    @Test func clickingTheMessageOnlyDismissesIt() {
        var state = Fixtures.pickerState()
        _ = state.render(width: 80, height: 24)
        state.showMessage(StatusMessage("hello"))
        _ = state.render(width: 80, height: 24)
        // Under the message at x 0 is Enter (Attach) in the key bar.
        let outcome = state.handle(.mouse(x: 0, y: 23, kind: .leftClick))
        #expect(outcome.command == nil)
        #expect(state.message == nil)
    }
}
