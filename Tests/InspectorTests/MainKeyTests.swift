import Testing
@testable import Inspector

/// Every key of the main screen, one behaviour per test.
@Suite struct MainKeyTests {
    var state: InspectorState

    init() {
        state = Fixtures.mainState()
        _ = state.render(width: 80, height: 24)
    }

    private var threadIDs: [Int32] { state.main.threads.list.rows.map(\.tid) }

    @Test mutating func digitsFocusTheirPane() {
        #expect(state.focusedPane == .threads)
        for (key, pane) in [("1", PaneID.tree), ("3", .backtrace), ("4", .flags), ("2", .threads)] {
            let outcome = state.handle(.character(Character(key)))
            #expect(state.focusedPane == pane)
            #expect(outcome == .redraw)
        }
    }

    @Test mutating func focusedPaneTitleIsReversed() {
        _ = state.handle(.character("3"))
        let grid = state.render(width: 80, height: 24)
        let layout = try! #require(state.main.layout(width: 80, height: 24))
        let box = layout.box(.backtrace)
        let threadsBox = layout.box(.threads)
        #expect(grid[box.x + 2, box.y].style.reverse)
        #expect(grid[box.x + 2, box.y].style.role == ColorRole.focusTitle)
        #expect(!grid[threadsBox.x + 2, threadsBox.y].style.reverse)
    }

    @Test mutating func tabCyclesForwardAndBackTabBackward() {
        var seen: [PaneID] = []
        for _ in 0..<4 {
            _ = state.handle(.tab)
            seen.append(state.focusedPane)
        }
        #expect(seen == [.backtrace, .flags, .tree, .threads])
        _ = state.handle(.backTab)
        #expect(state.focusedPane == .tree)
        _ = state.handle(.backTab)
        #expect(state.focusedPane == .flags)
    }

    @Test mutating func movementKeysMoveTheThreadCursorAndAskForItsBacktrace() {
        #expect(state.selectedThreadID == 4242)
        let r1 = state.handle(.down)
        #expect(r1.command == .selectThread(4243))
        let r2 = state.handle(.character("j"))
        #expect(r2.command == .selectThread(4244))
        let r3 = state.handle(.character("k"))
        #expect(r3.command == .selectThread(4243))
        let r4 = state.handle(.up)
        #expect(r4.command == .selectThread(4242))
        let r5 = state.handle(.up)
        #expect(r5 == .redraw, "already at the top: no new thread")
        let r6 = state.handle(.end)
        #expect(r6.command == .selectThread(4249))
        let r7 = state.handle(.home)
        #expect(r7.command == .selectThread(4242))
        // At 80x16 fewer rows fit than there are threads; a page keeps one row of context.
        _ = state.render(width: 80, height: 16)
        let page = state.main.threads.list.visibleRows - 1
        #expect(page > 1 && page < 7)
        let r8 = state.handle(.pageDown)
        #expect(r8.command == .selectThread(threadIDs[page]))
        let r9 = state.handle(.pageDown)
        #expect(r9.command == .selectThread(threadIDs[min(7, 2 * page)]))
        let r10 = state.handle(.pageUp)
        #expect(r10.command == .selectThread(threadIDs[min(7, 2 * page) - page]))
    }

    @Test mutating func movementGoesToTheFocusedPaneOnly() {
        _ = state.handle(.character("3"))
        _ = state.handle(.down)
        _ = state.handle(.down)
        #expect(state.selectedThreadID == 4242)
        #expect(state.main.backtrace.list.selectedIndex == 0, "4242 has no backtrace yet")
        state.selectThread(4245)
        _ = state.handle(.character("3"))
        _ = state.handle(.down)
        _ = state.handle(.down)
        #expect(state.main.backtrace.list.selectedRow?.index == 2)
        _ = state.handle(.end)
        #expect(state.main.backtrace.list.selectedRow?.index == 6)
        _ = state.handle(.character("1"))
        _ = state.handle(.up)
        #expect(state.main.tree.selectedProcess?.pid == 900, "the tree starts on the current process")
        _ = state.handle(.character("4"))
        _ = state.handle(.down)
        #expect(state.main.flags.selectedFlag?.name == "hold_logger")
    }

    @Test mutating func spaceTogglesTheSelectedFlagOnlyInTheFlagsPane() {
        var outcome = state.handle(.character(" "))
        #expect(outcome.command == nil)
        #expect(state.message?.text.contains("press 4") == true)
        _ = state.handle(.character("4"))
        outcome = state.handle(.character(" "))
        #expect(outcome.command == .toggleFlag(name: "lwp_hold_new", address: 0x7f90_7720_0040))
        _ = state.handle(.end)
        outcome = state.handle(.character(" "))
        #expect(outcome.command == .toggleFlag(name: "hold_workers", address: 0x55ca_c88b_e010))
    }

    @Test mutating func spaceWithoutFlagsSaysSo() {
        state.setHoldFlags([])
        _ = state.handle(.character("4"))
        let r11 = state.handle(.character(" "))
        #expect(r11.command == nil)
        #expect(state.message?.text == "no hold flags in this process; b sets a hold point")
    }

    @Test mutating func releaseOnlyAHeldThread() {
        state.selectThread(4245)
        let r12 = state.handle(.character("r"))
        #expect(r12.command == .releaseThreads([4245]))
        state.selectThread(4248)
        let r13 = state.handle(.character("r"))
        #expect(r13.command == .releaseThreads([4248]), "held at birth is held too")
        state.selectThread(4244)
        let outcome = state.handle(.character("r"))
        #expect(outcome.command == nil)
        #expect(state.message == StatusMessage("4244 worker-2 is not held; nothing to release", severity: .warning))
    }

    @Test mutating func releaseWorksFromAnyPane() {
        state.selectThread(4243)
        _ = state.handle(.character("3"))
        let r14 = state.handle(.character("r"))
        #expect(r14.command == .releaseThreads([4243]))
    }

    @Test mutating func simpleCommandKeys() {
        let r15 = state.handle(.character("n"))
        #expect(r15.command == .toggleHoldNew)
        let r16 = state.handle(.character("p"))
        #expect(r16.command == .togglePause)
        let r17 = state.handle(.character("g"))
        #expect(r17.command == .handToGDB(pid: 4242, thread: 4242))
        let r18 = state.handle(.character("d"))
        #expect(r18.command == .detach)
        let r19 = state.handle(.character("q"))
        #expect(r19.command == .quit)
        let r20 = state.handle(.function(10))
        #expect(r20.command == .quit)
    }

    @Test mutating func plusAndMinusStepTheIntervalWithinBounds() {
        let r21 = state.handle(.character("+"))
        #expect(r21.command == .setInterval(2))
        let r22 = state.handle(.character("+"))
        #expect(r22.command == .setInterval(5))
        let r23 = state.handle(.character("="))
        #expect(r23.command == .setInterval(10))
        let r24 = state.handle(.character("+"))
        #expect(r24.command == nil)
        #expect(state.message?.text == "refresh interval is already 10s, the longest")
        #expect(state.status.interval == 10)
        for expected in [5.0, 2, 1, 0.5, 0.25] {
            let r25 = state.handle(.character("-"))
            #expect(r25.command == .setInterval(expected))
        }
        let r26 = state.handle(.character("-"))
        #expect(r26.command == nil)
        #expect(state.message?.text == "refresh interval is already 0.25s, the shortest")
    }

    @Test mutating func intervalBetweenStepsGoesToTheNeighbouringSteps() {
        var status = Fixtures.status
        status.interval = 3
        state.setStatus(status)
        let r27 = state.handle(.character("+"))
        #expect(r27.command == .setInterval(5))
        state.setStatus(status)
        let r28 = state.handle(.character("-"))
        #expect(r28.command == .setInterval(2))
    }

    @Test mutating func slashFiltersThreadsByNameOrFunctionWhileTyping() {
        _ = state.handle(.character("3"))
        _ = state.handle(.character("/"))
        #expect(state.focusedPane == .threads)
        state.type("worker")
        #expect(threadIDs == [4243, 4244, 4245, 4248])
        // While typing, q is text, not quit.
        let r29 = state.handle(.character("q"))
        #expect(r29.command == nil)
        #expect(threadIDs.isEmpty)
        _ = state.handle(.backspace)
        #expect(threadIDs.count == 4)
        _ = state.handle(.enter)
        #expect(!state.main.isTypingFilter)
        #expect(threadIDs.count == 4, "Enter keeps the filter")
        let r30 = state.handle(.character("q"))
        #expect(r30.command == .quit, "typing has ended")
    }

    @Test mutating func filterMatchesFunction() {
        _ = state.handle(.character("/"))
        state.type("CRUNCH")
        #expect(threadIDs == [4244])
    }

    @Test mutating func filterChangeThatMovesTheCursorAsksForTheBacktrace() {
        _ = state.handle(.character("/"))
        var commands: [InspectorCommand?] = []
        for character in "logger" { commands.append(state.handle(.character(character)).command) }
        #expect(commands.contains(.selectThread(4246)))
        #expect(state.selectedThreadID == 4246)
    }

    @Test mutating func escapeClearsTheFilterTypingOrNot() {
        _ = state.handle(.character("/"))
        state.type("worker")
        _ = state.handle(.escape)
        #expect(threadIDs.count == 8)
        #expect(!state.main.isTypingFilter)
        _ = state.handle(.character("/"))
        state.type("worker")
        _ = state.handle(.enter)
        let r31 = state.handle(.escape)
        #expect(r31 == .redraw)
        #expect(threadIDs.count == 8)
        let r32 = state.handle(.escape)
        #expect(r32 == .ignored, "nothing left to close")
    }

    @Test mutating func helpOpensWithQuestionMarkOrF1AndAnyKeyClosesItWithoutActing() {
        _ = state.handle(.character("?"))
        #expect(state.helpVisible)
        let outcome = state.handle(.character("q"))
        #expect(outcome.command == nil)
        #expect(!state.helpVisible)
        _ = state.handle(.function(1))
        #expect(state.helpVisible)
        _ = state.handle(.escape)
        #expect(!state.helpVisible)
    }

    @Test mutating func questionMarkWhileTypingIsText() {
        _ = state.handle(.character("/"))
        _ = state.handle(.character("?"))
        #expect(!state.helpVisible)
        #expect(state.main.threads.filter.text == "?")
    }

    @Test mutating func enterInTheTreeSwitchesOnlyToAnotherLiveTracedProcess() {
        _ = state.handle(.character("1"))
        let r33 = state.handle(.enter)
        #expect(r33.command == nil, "the current process")
        #expect(state.message?.text.contains("already showing 4242") == true)
        _ = state.handle(.down)
        let r34 = state.handle(.enter)
        #expect(r34.command == .switchProcess(4250))
        _ = state.handle(.down)
        let r35 = state.handle(.enter)
        #expect(r35.command == nil)
        #expect(state.message?.text == "4251 ./server --child has gone (exited 0)")
        _ = state.handle(.home)
        let r36 = state.handle(.enter)
        #expect(r36.command == nil)
        #expect(state.message?.text == "900 -bash is not traced by lwpscope")
    }

    @Test mutating func enterInThreadsFocusesTheBacktrace() {
        _ = state.handle(.enter)
        #expect(state.focusedPane == .backtrace)
    }

    @Test mutating func sortKeysCycleColumnsAndInvert() {
        _ = state.handle(.character("s"))
        #expect(state.main.threads.sortColumn == .name)
        #expect(threadIDs.first == 4247, "io-uring-sq sorts first by name")
        _ = state.handle(.character(">"))
        _ = state.handle(.character(">"))
        #expect(state.main.threads.sortColumn == .cpu)
        #expect(threadIDs.first == 4244, "busiest first")
        _ = state.handle(.character("I"))
        #expect(threadIDs.last == 4244)
        _ = state.handle(.character("<"))
        _ = state.handle(.character("<"))
        _ = state.handle(.character("<"))
        #expect(state.main.threads.sortColumn == .tid)
        #expect(threadIDs == Fixtures.threads.map(\.tid))
        _ = state.handle(.character("<"))
        #expect(state.main.threads.sortColumn == .held, "wraps around")
    }

    @Test mutating func sortKeepsTheCursorOnItsThread() {
        state.selectThread(4245)
        _ = state.handle(.character("s"))
        #expect(state.selectedThreadID == 4245)
    }

    @Test mutating func messagesLastUntilTheNextKey() {
        state.selectThread(4244)
        _ = state.handle(.character("r"))
        #expect(state.message != nil)
        _ = state.handle(.down)
        #expect(state.message == nil)
    }

    @Test mutating func unknownKeysAreIgnored() {
        let r37 = state.handle(.character("x"))
        #expect(r37 == .ignored)
        let r38 = state.handle(.function(12))
        #expect(r38 == .ignored)
        let r39 = state.handle(.resize)
        #expect(r39 == .redraw)
    }

    @Test mutating func keysOnATinyTerminalDoNotCrashAndQuitStillWorks() {
        _ = state.render(width: 20, height: 5)
        for key: KeyEvent in [.down, .pageDown, .end, .tab, .mouse(x: 3, y: 3, kind: .leftClick), .mouse(x: 3, y: 3, kind: .wheelDown)] {
            _ = state.handle(key)
        }
        let r40 = state.handle(.character("q"))
        #expect(r40.command == .quit)
    }
}
