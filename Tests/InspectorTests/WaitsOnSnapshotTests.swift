import Testing
@testable import Inspector

/// WAITS ON in the thread table, the deadlock mark, and pane 1 with several
/// attached processes.
@Suite struct WaitsOnSnapshotTests {
    @Test func waitsOnAndADeadlockAt80x24() throws {
        var state = WaitFixtures.state(selecting: 4302)
        let grid = state.render(width: 80, height: 24)
        #expect(grid.droppedWrites == 0)
        try Snapshot.check(grid.textDump(), "waits-80x24")
        try Snapshot.check(grid.styleDump(), "waits-80x24.styles")
    }

    /// Without colours the deadlocked rows still say so, in words and bold.
    @Test func deadlockWithoutColorsAt120x40() throws {
        var state = WaitFixtures.state(capabilities: Capabilities(unicode: false, colors: false), selecting: 4300)
        let grid = state.render(width: 120, height: 40)
        try Snapshot.check(grid.textDump(), "waits-120x40-nocolor")
        try Snapshot.check(grid.attributeDump(), "waits-120x40-nocolor.attributes")
    }

    /// WCHAN gives its room up before WAITS ON does.
    @Test func wchanDropsBeforeWaitsOnAt80Columns() {
        let table = TableColumns(ThreadTablePane.columns(for: WaitFixtures.threads), width: 78)
        #expect(table.column(from: ThreadTablePane.Column.waitsOn.rawValue) != nil)
        #expect(table.column(from: ThreadTablePane.Column.wchan.rawValue) == nil)
        let wide = TableColumns(ThreadTablePane.columns(for: WaitFixtures.threads), width: 160)
        #expect(wide.column(from: ThreadTablePane.Column.wchan.rawValue) != nil)
    }

    /// A long path gives way before the peer `f` goes to.
    @Test func aCutLabelKeepsThePeer() {
        let label = "read unix /tmp/lwf-abcdef/daemon.sock ← 4300 fixture-daemon"
        #expect(WaitsOnText.fitted(label, width: 40) == "read unix /tmp/lw… ← 4300 fixture-daemon")
        #expect(WaitsOnText.fitted(label, width: 60) == label)
        #expect(WaitsOnText.fitted("read unix /run/a/b/c.sock", width: 12) == "read unix /run/a/b/c.sock",
                "no peer: the column cuts it at the end")
        var row = WaitFixtures.threads[1]
        row.waitsOn = label
        var state = WaitFixtures.state()
        state.setThreads([row] + WaitFixtures.threads.dropFirst(2))
        // At 140 WCHAN has given its room up and the label is still too long.
        let text = state.render(width: 140, height: 40).textDump()
        #expect(text.contains("← 4300 fixture-daemon") && !text.contains(label), "\(text)")
    }
}
