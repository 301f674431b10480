import Testing
@testable import Inspector

/// Issue 13's keys and marks on the main screen: the key bar per pane, the
/// sideways scroll, grouped release, the tree's attach, the stack filter.
@Suite struct MainPaneKeyTests {
    static func keyBar(_ state: inout InspectorState, width: Int = 200, height: Int = 60) -> String {
        String(state.render(width: width, height: height).textDump().split(separator: "\n").last ?? "")
    }

    @Test func everyHelpKeyIsInSomePanesKeyBar() {
        var state = Fixtures.mainState(selecting: 4245)
        var bars: [String] = []
        for pane in PaneID.allCases {
            _ = state.handle(.character(Character("\(pane.rawValue)")))
            bars.append(Self.keyBar(&state))
        }
        for key in MainKeys.table() {
            #expect(bars.contains { $0.contains(key.bar + key.label) }, "\(key.bar)\(key.label) is in no key bar")
        }
        let helpKeys = Set(MainKeys.helpLines.map(\.keys))
        let fromTable = Set(MainKeys.table().flatMap(\.help).map(\.keys) + MainKeys.notes.map(\.keys))
        #expect(helpKeys == fromTable, "the help lists only keys of the table")
    }

    @Test func theKeyBarShowsTheFocusedPanesKeys() {
        var state = Fixtures.mainState(selecting: 4245)
        let threads = Self.keyBar(&state, width: 80, height: 24)
        #expect(threads.contains("/Filter") && threads.contains("rRelease") && !threads.contains("SpcToggle"))
        _ = state.handle(.character("4"))
        let flags = Self.keyBar(&state, width: 80, height: 24)
        #expect(flags.contains("SpcToggle") && !flags.contains("/Filter") && !flags.contains("rRelease"))
        _ = state.handle(.character("1"))
        let tree = Self.keyBar(&state, width: 80, height: 24)
        #expect(tree.contains("EnterShow") && !tree.contains("SpcToggle"))
        _ = state.handle(.character("3"))
        #expect(Self.keyBar(&state, width: 80, height: 24).contains("←→Scroll"))
        for bar in [threads, flags, tree] { #expect(bar.contains("?Help") && bar.contains("qQuit") && bar.contains("1-4Pane")) }
    }

    @Test func aClickOnTheZoomItemZooms() throws {
        var state = Fixtures.mainState(selecting: 4245)
        let bar = Self.keyBar(&state, width: 80, height: 24)
        let zoom = try #require(bar.range(of: "zZoom"))
        _ = state.handle(.mouse(x: bar.distance(from: bar.startIndex, to: zoom.lowerBound), y: 23, kind: .leftClick))
        #expect(state.main.zoomed)
    }

    @Test func sortedColumnCarriesItsArrow() {
        var state = Fixtures.mainState()
        #expect(state.render(width: 80, height: 24).textDump().contains("TID↑ NAME"))
        _ = state.handle(.character("I"))
        #expect(state.render(width: 80, height: 24).textDump().contains("TID↓ NAME"))
        for _ in 0..<3 { _ = state.handle(.character("s")) }
        #expect(state.render(width: 80, height: 24).textDump().contains("CPU%↓"))
        var ascii = Fixtures.mainState(capabilities: Capabilities(unicode: false, colors: false))
        #expect(ascii.render(width: 80, height: 24).textDump().contains("TID^ NAME"))
    }

    @Test func eachListShowsItsPositionOnItsTopBorder() {
        var state = Fixtures.mainState(selecting: 4245)
        let lines = state.render(width: 80, height: 24).textDump().split(separator: "\n")
        #expect(lines[1].hasSuffix(" 4/8 ┐"))
        _ = state.handle(.character("3"))
        _ = state.handle(.down)
        let after = state.render(width: 80, height: 24).textDump()
        #expect(after.contains(" 2/7 ┬"))
    }

    /// Without colors the header is bold and underlined, the selected row reversed.
    @Test func withoutColorsTheSelectedRowDiffersFromTheHeader() {
        var state = Fixtures.mainState(capabilities: Capabilities(unicode: false, colors: false), selecting: 4242)
        let grid = state.render(width: 80, height: 24)
        let rows = grid.attributeDump().split(separator: "\n")
        let header = rows[2], selected = rows[3]
        #expect(header != selected)
        #expect(grid[5, 2].style.bold && grid[5, 2].style.underline && !grid[5, 2].style.reverse)
        #expect(grid[5, 3].style.reverse)
    }

    @Test func heldIsNotCutAt200ColumnsAndACutColumnIsMarked() {
        var state = MainLayoutTests.manyThreadsState()
        let wide = state.render(width: 200, height: 60).textDump()
        #expect(wide.contains("hold_request_pipeline_workers"))
        #expect(wide.contains("std::vector<std::pair<std::string, int>>::_M_realloc_insert"))
        let narrow = state.render(width: 80, height: 24).textDump()
        let table = TableColumns(ThreadTablePane.columns(for: Fixtures.manyThreads, sortedBy: .tid), width: 78)
        let function = table.column(from: ThreadTablePane.Column.function.rawValue)!
        let long = "std::vector<std::pair<std::string, int>>::_M_realloc_insert"
        #expect(narrow.contains(TerminalText.truncate(long, to: function.width)))
        #expect(!narrow.contains(long))
    }

    @Test func rightShiftsTheFunctionColumnToItsEnd() {
        var state = MainLayoutTests.manyThreadsState()
        _ = state.render(width: 80, height: 24)
        #expect(state.main.threads.title.hasSuffix("»"))
        for _ in 0..<20 { _ = state.handle(.right) }
        let text = state.render(width: 80, height: 24).textDump()
        #expect(text.contains("realloc_insert "), "the end of the longest name")
        #expect(text.contains("«"))
        #expect(state.main.threads.title.hasSuffix("«"))
        for _ in 0..<20 { _ = state.handle(.left) }
        #expect(state.main.threads.side.offset == 0)
    }

    /// Long source paths: scrolled or not, every line keeps its `file:line`.
    @Test func backtraceLinesKeepTheirLineNumbersAt80x24() {
        var state = Fixtures.mainState(selecting: 4245)
        let frames = (0..<6).map { index in
            BacktraceFrame(index: index, pc: 0x7f90_770e_d545 + UInt64(index), function: "a_rather_long_function_name_\(index)",
                           offset: 0x65, module: Fixtures.libc, file: "/src/glibc/sysdeps/unix/sysv/linux/clock_nanosleep.c",
                           line: 70 + index)
        }
        state.setBacktrace(Backtrace(tid: 4245, frames: frames))
        _ = state.handle(.character("3"))
        for presses in 0..<6 {
            let text = state.render(width: 80, height: 24).textDump()
            let box = state.main.layout(width: 80, height: 24)!.box(.backtrace).interior
            let lines = text.split(separator: "\n").map(String.init)
            for (offset, frame) in frames.enumerated() where offset < box.height {
                let line = String(lines[box.y + offset].dropFirst(box.x).prefix(box.width))
                #expect(line.contains("clock_nanosleep.c:\(frame.line!)"), "after \(presses) Right: \(line)")
                #expect(!line.contains("0x7f90"), "the pc column goes first")
            }
            _ = state.handle(.right)
        }
        #expect(state.main.backtrace.side.offset > 0)
    }

    @Test func rOnAGroupedRowReleasesItsHeldThreads() {
        var state = Fixtures.mainState(selecting: 4243)
        _ = state.handle(.character("c"))
        #expect(state.selectedThreadID == 4243)
        #expect(state.handle(.character("r")).command == .releaseThreads([4243, 4245]))
        #expect(state.main.backtrace.title.contains("and 1 more with this stack: 4245"))
        // A group none of whose threads is held says so.
        var threads = Fixtures.threads
        threads[1].heldFlag = nil
        threads[3].heldFlag = nil
        _ = state.setThreads(threads)
        #expect(state.handle(.character("r")).command == nil)
        #expect(state.message?.text.contains("none of the 2 threads with this stack (4243 4245) is held") == true)
    }

    @Test func slashMatchesAnyFrameOfTheStack() {
        var state = Fixtures.mainState()
        var threads = Fixtures.threads
        threads[2].stackFunctions = ["crunch_numbers", "run_job", "start_thread"]
        _ = state.setThreads(threads)
        _ = state.handle(.character("/"))
        state.type("run_job")
        #expect(state.main.threads.list.rows.map(\.tid) == [4244])
        #expect(state.main.threads.title.contains("/run_job in any frame"))
    }

    @Test func enterOnAnUntracedChildAttachesItToo() {
        var state = Fixtures.mainState()
        state.setProcessTree(Fixtures.deepTree)
        _ = state.handle(.character("1"))
        _ = state.handle(.end)
        #expect(state.main.tree.selectedProcess?.pid == 4252)
        #expect(Self.keyBar(&state, width: 80, height: 24).contains("EnterAttach"))
        #expect(state.handle(.enter).command == .attachAlso(4252))
        _ = state.handle(.home)
        #expect(state.handle(.enter).command == nil, "an untraced ancestor is not attached from here")
    }

    @Test func ancestorsGoByTheirCommandName() {
        var state = Fixtures.mainState()
        state.setProcessTree(Fixtures.deepTree)
        let text = state.render(width: 120, height: 40).textDump()
        #expect(text.contains("1 systemd "))
        #expect(text.contains("900 bash "))
        #expect(!text.contains("--switched-root"))
        #expect(text.contains("  12.5    2"), "CPU% and held threads of the current process")
        // A child's command line is cut at this width; Right shows the rest.
        #expect(!text.contains("4252 ./server --helper"))
        _ = state.handle(.character("1"))
        for _ in 0..<3 { _ = state.handle(.right) }
        #expect(state.render(width: 120, height: 40).textDump().contains("--helper "))
    }
}

@Suite struct FlagsSideScrollTests {
    @Test func rightInTheFlagsPaneShowsTheCutModuleName() {
        var state = Fixtures.mainState(selecting: 4245)
        _ = state.handle(.character("4"))
        let before = state.render(width: 80, height: 24).textDump()
        #expect(!before.contains("liblwphold.so.1"))
        #expect(state.main.flags.title.hasSuffix("»"))
        for _ in 0..<3 { _ = state.handle(.right) }
        let after = state.render(width: 80, height: 24).textDump()
        #expect(after.contains("«old.so.1"), "the end of the module name")
        #expect(after.contains("lwp_hold_new"), "a name that fits is not shifted")
        #expect(state.main.flags.title.hasSuffix("«"))
    }
}
