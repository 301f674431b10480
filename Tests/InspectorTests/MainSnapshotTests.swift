import Testing
@testable import Inspector

/// The main screen at the three sizes people use, with what issue 13 asked
/// to see: the zoom, the per-pane key bar, the sort arrow, the positions and
/// cut columns.
@Suite struct MainSnapshotTests {
    @Test func manyThreadsAt80x24() throws {
        var state = MainLayoutTests.manyThreadsState()
        try Snapshot.check(state.render(width: 80, height: 24).textDump(), "main-80x24-many")
    }

    @Test func manyThreadsAt120x40SortedByCPU() throws {
        var state = MainLayoutTests.manyThreadsState()
        for _ in 0..<3 { _ = state.handle(.character("s")) }
        try Snapshot.check(state.render(width: 120, height: 40).textDump(), "main-120x40-many-cpu")
    }

    @Test func manyThreadsAt200x60() throws {
        var state = MainLayoutTests.manyThreadsState()
        _ = state.handle(.end)
        try Snapshot.check(state.render(width: 200, height: 60).textDump(), "main-200x60-many")
    }

    @Test func zoomedBacktraceAt80x24() throws {
        var state = Fixtures.mainState(selecting: 4245)
        _ = state.handle(.character("3"))
        _ = state.handle(.character("z"))
        try Snapshot.check(state.render(width: 80, height: 24).textDump(), "main-80x24-zoomed-backtrace")
    }

    @Test func flagsPaneKeyBarAndDeepTreeAt80x24() throws {
        var state = Fixtures.mainState(selecting: 4245)
        state.setProcessTree(Fixtures.deepTree)
        _ = state.handle(.character("4"))
        try Snapshot.check(state.render(width: 80, height: 24).textDump(), "main-80x24-flags-focused")
    }

    @Test func noColorAttributesAt80x24() throws {
        var state = Fixtures.mainState(capabilities: Capabilities(unicode: false, colors: false), selecting: 4245)
        try Snapshot.check(state.render(width: 80, height: 24).attributeDump(), "main-80x24-nocolor.attributes")
    }
}
