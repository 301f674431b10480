import Testing
@testable import Inspector

/// `b`, its prompt and completion, a parked thread's HELD, and point rows in pane 4.
@Suite struct HoldPointKeyTests {
    var state: InspectorState

    init() {
        state = Fixtures.mainState()
        _ = state.render(width: 80, height: 24)
    }

    mutating func type(_ text: String) {
        for character in text { _ = state.handle(.character(character)) }
    }

    @Test mutating func bOpensThePromptAndAsksForNames() {
        let outcome = state.handle(.character("b"))
        #expect(outcome.command == .openPointPrompt(pid: state.status.pid))
        let screen = state.render(width: 80, height: 24).textDump().split(separator: "\n").map(String.init)
        #expect(screen.last?.hasPrefix("Hold point at: _") == true, "\(screen.last ?? "")")
    }

    @Test mutating func keysAreTextWhileTypingAndEnterSetsThePoint() {
        _ = state.handle(.character("b"))
        // q, ? and l would quit, help and log outside the prompt.
        type("qux.c:12 thread w?l*")
        #expect(state.overlay == nil)
        let outcome = state.handle(.enter)
        #expect(outcome.command == .addHoldPoint(pid: state.status.pid, location: "qux.c:12", threadPattern: "w?l*"))
        // Closed: q quits again.
        #expect(state.handle(.character("q")).command == .quit)
    }

    @Test mutating func escapeAndAnEmptyLineSetNothing() {
        _ = state.handle(.character("b"))
        type("read")
        #expect(state.handle(.escape).command == nil)
        _ = state.handle(.character("b"))
        #expect(state.handle(.enter).command == nil)
        #expect(state.handle(.character("q")).command == .quit)
    }

    @Test mutating func tabCompletesTheCommonPrefixAndListsTheMatches() {
        state.setPointNames(["pthread_cond_wait", "read", "point_target", "point_other", "pthread_mutex_lock", "read"])
        _ = state.handle(.character("b"))
        type("po")
        _ = state.handle(.tab)
        #expect(state.main.pointPrompt.text == "point_")
        #expect(state.message?.text == "2 functions: point_other  point_target")
        type("t")
        _ = state.handle(.tab)
        #expect(state.main.pointPrompt.text == "point_target")
        _ = state.handle(.character("x"))
        _ = state.handle(.tab)
        #expect(state.message?.text == "no function starts so")
        #expect(state.main.pointPrompt.text == "point_targetx")
    }

    @Test func promptMatchesAreThePrefixRangeOfTheSortedNames() {
        let names = ["a", "ab", "abc", "abd", "b", "ba"]
        #expect(Array(PointPrompt.matches(of: "ab", in: names)) == ["ab", "abc", "abd"])
        #expect(Array(PointPrompt.matches(of: "c", in: names)) == [])
        #expect(Array(PointPrompt.matches(of: "b", in: names)) == ["b", "ba"])
        #expect(PointPrompt.request("  f  ") == .init(location: "f", threadPattern: nil))
        #expect(PointPrompt.request("f thread") == .init(location: "f thread", threadPattern: nil))
        #expect(PointPrompt.request("") == nil)
    }

    @Test mutating func aParkedThreadShowsItsPointInHeldAndCanBeReleased() {
        var rows = state.main.threads.all
        rows[1].heldFlag = nil
        rows[1].heldAtBirth = false
        rows[1].heldPoint = "point_target"
        state.setThreads(rows)
        #expect(ThreadTablePane.heldText(rows[1]) == "@point_target")
        _ = state.selectThread(tid: rows[1].tid)
        #expect(state.handle(.character("r")).command == .releaseThreads([rows[1].tid]))
    }

    @Test mutating func pointRowsFollowTheFlagsAndSpaceRemovesOne() {
        let flag = HoldFlagRow(name: "hold", module: "/usr/bin/server", value: 1, size: 4, address: 0x5000)
        let point = HoldFlagRow(point: 3, location: "main.c:48", module: "/usr/bin/server", address: 0x1234,
                                parkedThreadCount: 2)
        state.setHoldFlags([point, flag])
        #expect(state.main.flags.list.rows.map(\.name) == ["hold", "main.c:48"])
        #expect(state.main.flags.title.hasPrefix("4 Hold flags 1, points 1"))
        _ = state.handle(.character("4"))
        #expect(state.handle(.character(" ")).command == .toggleFlag(name: "hold", address: 0x5000))
        _ = state.handle(.down)
        #expect(state.handle(.character(" ")).command == .removeHoldPoint(id: 3))
        let screen = state.render(width: 80, height: 24).textDump().split(separator: "\n").map(String.init).joined(separator: "\n")
        #expect(screen.contains("main.c:48"))
    }
}
