import Testing
@testable import Inspector

@Suite struct MouseTests {
    private var threadIDs: [Int32] { state.main.threads.list.rows.map(\.tid) }

    var state: InspectorState
    /// The layout the render used: pane sizes follow their content.
    var layout: MainLayout { state.main.layout(width: 80, height: 24)! }

    init() {
        state = Fixtures.mainState()
        _ = state.render(width: 80, height: 24)
    }

    @Test mutating func clickFocusesThePaneAndSelectsTheRow() {
        state.selectThread(4245)
        let backtrace = layout.box(.backtrace).interior
        let outcome = state.handle(.mouse(x: backtrace.x + 5, y: backtrace.y + 3, kind: .leftClick))
        #expect(outcome == .redraw)
        #expect(state.focusedPane == .backtrace)
        #expect(state.main.backtrace.list.selectedRow?.index == 3)
    }

    @Test mutating func clickOnAThreadSelectsItAndAsksForItsBacktrace() {
        let threads = layout.box(.threads).interior
        _ = state.handle(.character("4"))
        // Below the header: the fourth thread.
        let outcome = state.handle(.mouse(x: threads.x + 2, y: threads.y + 4, kind: .leftClick))
        #expect(state.focusedPane == .threads)
        #expect(outcome.command == .selectThread(4245))
    }

    @Test mutating func clickOnTheHeaderOrBelowTheRowsOnlyFocuses() {
        // At 120x40 the flags pane has the side column's rows below its three flags.
        _ = state.render(width: 120, height: 40)
        let flags = state.main.layout(width: 120, height: 40)!.box(.flags).interior
        #expect(flags.height > 4)
        _ = state.handle(.mouse(x: flags.x + 1, y: flags.y, kind: .leftClick))
        #expect(state.focusedPane == .flags)
        #expect(state.main.flags.selectedFlag?.name == "lwp_hold_new")
        _ = state.handle(.mouse(x: flags.x + 1, y: flags.maxY - 1, kind: .leftClick))
        #expect(state.main.flags.selectedFlag?.name == "lwp_hold_new")
        _ = state.handle(.mouse(x: flags.x + 1, y: flags.y + 3, kind: .leftClick))
        #expect(state.main.flags.selectedFlag?.name == "hold_workers")
    }

    @Test mutating func clickOnABorderDoesNothing() {
        let threads = layout.box(.threads)
        let r1 = state.handle(.mouse(x: threads.x, y: threads.y + 3, kind: .leftClick))
        #expect(r1 == .ignored)
    }

    @Test mutating func wheelScrollsThePaneUnderThePointerWithoutFocusingIt() {
        _ = state.handle(.character("3"))
        // At 80x16 the 8 threads do not all fit.
        _ = state.render(width: 80, height: 16)
        let threads = state.main.layout(width: 80, height: 16)!.box(.threads).interior
        let visible = state.main.threads.list.visibleRows
        #expect(visible < 7)
        let outcome = state.handle(.mouse(x: threads.x + 2, y: threads.y + 2, kind: .wheelDown))
        #expect(state.focusedPane == .backtrace)
        // The view moves three rows and drags the cursor with it.
        #expect(state.main.threads.list.top == min(3, 8 - visible))
        #expect(outcome.command == .selectThread(threadIDs[state.main.threads.list.top]))
        let dragged = state.selectedThreadID
        _ = state.handle(.mouse(x: threads.x + 2, y: threads.y + 2, kind: .wheelUp))
        #expect(state.main.threads.list.top == 0)
        #expect(state.selectedThreadID == dragged, "still in view: the cursor stays")
    }

    @Test mutating func clickOnTheKeyBarActsAsTheKey() throws {
        let bar = state.render(width: 80, height: 24).textDump().split(separator: "\n").last.map(String.init) ?? ""
        let quit = try #require(bar.range(of: "qQuit"))
        let x = bar.distance(from: bar.startIndex, to: quit.lowerBound)
        let r2 = state.handle(.mouse(x: x + 2, y: 23, kind: .leftClick))
        #expect(r2.command == .quit)
        let help = bar.distance(from: bar.startIndex, to: bar.range(of: "?Help")!.lowerBound)
        _ = state.handle(.mouse(x: help, y: 23, kind: .leftClick))
        #expect(state.helpVisible)
    }

    @Test mutating func clickClosesHelp() {
        _ = state.handle(.character("?"))
        _ = state.handle(.mouse(x: 1, y: 1, kind: .leftClick))
        #expect(!state.helpVisible)
    }

    @Test mutating func pickerClickSelectsAndHeaderClickSorts() {
        var picker = Fixtures.pickerState()
        _ = picker.render(width: 80, height: 24)
        _ = picker.handle(.mouse(x: 10, y: 2 + 4, kind: .leftClick))
        #expect(picker.selectedPickerPID == 4242)
        // "CPU%" sits at columns 36-40 of the header; 41 is the gap before RSS.
        _ = picker.handle(.mouse(x: 41, y: 1, kind: .leftClick))
        #expect(picker.picker.sortColumn == .pid)
        _ = picker.handle(.mouse(x: 38, y: 1, kind: .leftClick))
        #expect(picker.picker.sortColumn == .cpu)
        #expect(picker.picker.list.rows.first?.row.pid == 4242)
        #expect(picker.selectedPickerPID == 4242)
    }

    @Test mutating func pickerWheelScrolls() {
        var picker = Fixtures.pickerState()
        _ = picker.render(width: 80, height: 6)
        #expect(picker.picker.list.visibleRows == 3)
        _ = picker.handle(.mouse(x: 10, y: 3, kind: .wheelDown))
        #expect(picker.picker.list.top == 3)
        #expect(picker.selectedPickerPID == 900)
        _ = picker.handle(.mouse(x: 10, y: 3, kind: .wheelUp))
        #expect(picker.picker.list.top == 0)
    }
}
