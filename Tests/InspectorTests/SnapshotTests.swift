import Testing
@testable import Inspector

@Suite struct SnapshotTests {
    @Test func pickerFilteredAt80x24() throws {
        var state = Fixtures.pickerState()
        _ = state.handle(.character("/"))
        state.type("work")
        _ = state.handle(.enter)
        let grid = state.render(width: 80, height: 24)
        try Snapshot.check(grid.textDump(), "picker-80x24-filtered")
        try Snapshot.check(grid.attributeDump(), "picker-80x24-filtered.attributes")
    }

    @Test func pickerTreeAt120x40() throws {
        var state = Fixtures.pickerState()
        _ = state.handle(.character("t"))
        _ = state.handle(.character("P"))
        try Snapshot.check(state.render(width: 120, height: 40).textDump(), "picker-120x40-tree")
    }

    @Test func pickerTypingFilterAsciiAt80x24() throws {
        var state = Fixtures.pickerState(capabilities: Capabilities(unicode: false, colors: false))
        _ = state.handle(.character("t"))
        _ = state.handle(.character("/"))
        state.type("de")
        try Snapshot.check(state.render(width: 80, height: 24).textDump(), "picker-80x24-typing-ascii")
    }

    @Test func mainWithHeldThreadAt80x24() throws {
        var state = Fixtures.mainState(selecting: 4245)
        let grid = state.render(width: 80, height: 24)
        try Snapshot.check(grid.textDump(), "main-80x24")
        try Snapshot.check(grid.styleDump(), "main-80x24.styles")
    }

    @Test func mainWithHeldThreadAt120x40() throws {
        var state = Fixtures.mainState(selecting: 4245)
        _ = state.handle(.character("3"))
        try Snapshot.check(state.render(width: 120, height: 40).textDump(), "main-120x40")
    }

    @Test func mainAsciiWithoutColorsAt80x24() throws {
        var state = Fixtures.mainState(capabilities: Capabilities(unicode: false, colors: false), selecting: 4244)
        _ = state.handle(.character("4"))
        _ = state.handle(.character("r"))
        try Snapshot.check(state.render(width: 80, height: 24).textDump(), "main-80x24-ascii")
    }

    /// `c`: one row per stack group with its size, largest first; worker-1
    /// and worker-3 share a stack.
    @Test func groupedThreadsAt120x40() throws {
        var state = Fixtures.mainState(selecting: 4245)
        _ = state.handle(.character("c"))
        try Snapshot.check(state.render(width: 120, height: 40).textDump(), "main-120x40-grouped")
    }

    @Test func helpOverlayAt80x24() throws {
        var state = Fixtures.mainState(selecting: 4245)
        _ = state.handle(.character("?"))
        try Snapshot.check(state.render(width: 80, height: 24).textDump(), "help-80x24")
    }

    @Test func tinyTerminal() throws {
        var state = Fixtures.mainState(selecting: 4245)
        try Snapshot.check(state.render(width: 20, height: 5).textDump(), "main-20x5")
    }
}

@Suite struct OverlaySnapshotTests {
    /// 80x24 has fewer rows than the main screen's keys: scrolled to the end
    /// the last line shows, and the bottom edge says where the view is.
    @Test func helpScrolledToTheEndAt80x24() throws {
        var state = Fixtures.mainState(selecting: 4245)
        _ = state.render(width: 80, height: 24)
        _ = state.handle(.character("?"))
        _ = state.handle(.end)
        let grid = state.render(width: 80, height: 24)
        #expect(grid.droppedWrites == 0)
        try Snapshot.check(grid.textDump(), "help-80x24-end")
    }

    @Test func eventLogAt120x40() throws {
        var state = Fixtures.mainState(selecting: 4245)
        state.appendLog([
            EventLogEntry(time: "14:03:27", kind: .process, text: "4242 forked 4250"),
            EventLogEntry(time: "14:03:27", kind: .hold, text: "4250 held at birth"),
            EventLogEntry(time: "14:03:29", kind: .thread, text: "4248 worker-4 born, held at birth"),
            EventLogEntry(time: "14:03:31", kind: .signal, text: "SIGCHLD passed on to 4242"),
            EventLogEntry(time: "14:03:40", kind: .message, text: "hold_workers = 0", severity: .info),
            EventLogEntry(time: "14:03:41", kind: .process, text: "4251 exited 0"),
        ])
        _ = state.handle(.character("l"))
        let grid = state.render(width: 120, height: 40)
        #expect(grid.droppedWrites == 0)
        try Snapshot.check(grid.textDump(), "log-120x40")
        var ascii = Fixtures.pickerState(capabilities: Capabilities(unicode: false, colors: false))
        ascii.appendLog(state.log)
        _ = ascii.handle(.character("l"))
        try Snapshot.check(ascii.render(width: 80, height: 24).textDump(), "log-80x24-picker-ascii")
    }
}

@Suite struct PickerColumnSnapshotTests {
    /// PPID, TRACED BY, the caution mark, the sort marker and the position.
    @Test func tracedAndCautionAt80x24() throws {
        var state = PickerFixtures.state()
        _ = state.handle(.character("P"))
        let grid = state.render(width: 80, height: 24)
        #expect(grid.droppedWrites == 0)
        try Snapshot.check(grid.textDump(), "picker-80x24-columns")
    }

    /// The caution's warning on the message line, the top line untouched.
    @Test func cautionWarningAt120x40() throws {
        var state = PickerFixtures.state()
        while state.selectedPickerPID != 900 { _ = state.handle(.down) }
        _ = state.handle(.enter)
        let grid = state.render(width: 120, height: 40)
        #expect(grid.droppedWrites == 0)
        try Snapshot.check(grid.textDump(), "picker-120x40-caution")
        try Snapshot.check(grid.attributeDump(), "picker-120x40-caution.attributes")
    }
}
