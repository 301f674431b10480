import Testing
@testable import Inspector

/// Space goes where the work is: the panes beside the thread table are as
/// tall as their content; the threads get the rest.
@Suite struct MainLayoutTests {
    static func manyThreadsState(capabilities: Capabilities = Capabilities()) -> InspectorState {
        var state = InspectorState(capabilities: capabilities, attached: Fixtures.status)
        state.setProcessTree(Fixtures.tree)
        state.setThreads(Fixtures.manyThreads)
        state.setHoldFlags(Fixtures.flags)
        state.setBacktrace(Backtrace(tid: 5000, frames: Fixtures.heldBacktrace.frames))
        return state
    }

    /// Lines of the dump that are thread rows: a tid from the fixture after the border.
    static func threadRowsShown(_ text: String) -> Int {
        text.split(separator: "\n").filter { line in
            Fixtures.manyThreads.contains { line.contains(" \($0.tid) ") }
        }.count
    }

    @Test func thirtySixThreadsAt120x40ShowAtLeastThirtyRows() {
        var state = Self.manyThreadsState()
        let text = state.render(width: 120, height: 40).textDump()
        #expect(Self.threadRowsShown(text) >= 30, "\(text)")
        let backtrace = state.main.layout(width: 120, height: 40)!.box(.backtrace)
        #expect(backtrace.interior.height >= MainLayout.minimumBacktraceRows)
    }

    @Test func theBacktraceGetsItsFramesWhenTheThreadsLeaveRoom() {
        var state = Fixtures.mainState(selecting: 4245)
        _ = state.render(width: 120, height: 40)
        let layout = state.main.layout(width: 120, height: 40)!
        #expect(layout.box(.backtrace).interior.height == Fixtures.heldBacktrace.frames.count)
        // All 8 threads and the header fit; the rest of the height stays with the table.
        #expect(layout.box(.threads).interior.height >= Fixtures.threads.count + 1)
        #expect(layout.box(.tree).interior.height == Fixtures.tree.count + 1)
    }

    @Test func atEightyColumnsTheBottomPanesShrinkToTheirMinimumForManyThreads() {
        var state = Self.manyThreadsState()
        _ = state.render(width: 80, height: 24)
        let layout = state.main.layout(width: 80, height: 24)!
        #expect(layout.box(.backtrace).interior.height >= MainLayout.minimumBacktraceRows)
        #expect(layout.box(.flags).interior.height >= 2)
        #expect(layout.box(.tree).interior.height >= 2)
        #expect(layout.box(.threads).interior.height - 1 > 10)
    }

    @Test func zoomGivesTheFocusedPaneTheWholeScreenAndBack() {
        var state = Self.manyThreadsState()
        _ = state.render(width: 120, height: 40)
        _ = state.handle(.character("z"))
        let text = state.render(width: 120, height: 40).textDump()
        let layout = state.main.layout(width: 120, height: 40)!
        #expect(layout.boxes.keys.sorted { $0.rawValue < $1.rawValue } == [.threads])
        #expect(layout.box(.threads) == Rect(x: 0, y: 1, width: 120, height: 38))
        #expect(Self.threadRowsShown(text) == 35)
        #expect(text.contains("(zoomed)"))
        #expect(text.split(separator: "\n").last!.contains("zUnzoom"))
        // The zoom follows the focus; z again brings every pane back.
        _ = state.handle(.character("3"))
        #expect(state.main.layout(width: 120, height: 40)!.boxes.keys.first == .backtrace)
        _ = state.handle(.character("z"))
        #expect(state.main.layout(width: 120, height: 40)!.boxes.count == 4)
    }

    @Test func aClickInTheZoomedPaneSelectsItsRow() {
        var state = Self.manyThreadsState()
        _ = state.handle(.character("z"))
        _ = state.render(width: 80, height: 24)
        // Header on row 2; the fourth thread on row 6.
        let outcome = state.handle(.mouse(x: 5, y: 6, kind: .leftClick))
        #expect(outcome.command == .selectThread(5003))
    }

    @Test func filteringDoesNotMoveThePanes() {
        var state = Fixtures.mainState()
        _ = state.render(width: 80, height: 24)
        let before = state.main.layout(width: 80, height: 24)!
        _ = state.handle(.character("/"))
        state.type("crunch")
        #expect(state.main.layout(width: 80, height: 24)!.boxes == before.boxes)
    }
}
