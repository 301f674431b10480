import Testing
@testable import Inspector

@Suite struct PickerKeyTests {
    var state: InspectorState

    init() {
        state = Fixtures.pickerState()
        _ = state.render(width: 80, height: 24)
    }

    private var pids: [Int32] { state.picker.list.rows.map(\.row.pid) }

    private mutating func select(_ pid: Int32) {
        _ = state.handle(.home)
        while state.selectedPickerPID != pid { _ = state.handle(.down) }
    }

    /// Each line of the picker's help (but the notes) names a key some item
    /// of its key bar stands for, as on the main screen.
    @Test mutating func everyHelpKeyIsInTheKeyBar() {
        _ = state.handle(.character("/"))
        state.type("s")
        _ = state.handle(.enter)
        let bar = state.render(width: 200, height: 24).textDump().split(separator: "\n").last.map(String.init) ?? ""
        let item: [String: String] = [
            "Up Down j k": "↑↓Move", "PgUp PgDn": "↑↓Move", "Home End": "↑↓Move", "Enter": "EnterAttach", "a": "aAdd",
            "/": "/Filter", "Esc": "EscClear", "t": "tTree", "s > F6 <": "sSort", "P M N": "PCPU", "I": "IInvert",
            "l": "lLog", "? F1": "?Help", "q F10": "qQuit",
        ]
        let notes: Set = ["Mouse", "Dimmed", "!"]
        for line in HelpOverlay.pickerKeys where !notes.contains(line.keys) {
            let wanted = try? #require(item[line.keys], "help key \(line.keys) has no key bar item to look for")
            #expect(wanted.map { bar.contains($0) } == true, "\(line.keys): \(wanted ?? "?") not in \(bar)")
        }
    }

    @Test mutating func startsOnThePickerSortedByPID() {
        #expect(state.screen == .picker)
        #expect(pids == Fixtures.pickerRows.map(\.pid).sorted())
    }

    @Test mutating func enterAttachesToTheSelectedProcess() {
        select(4242)
        let r1 = state.handle(.enter)
        #expect(r1.command == .attach(4242))
    }

    @Test mutating func enterOnADimmedRowSaysWhyAndAttachesNothing() {
        select(2)
        let r2 = state.handle(.enter)
        #expect(r2.command == nil)
        #expect(state.message == StatusMessage("cannot attach to 2 [kthreadd]: kernel thread", severity: .warning))
        select(5001)
        let r3 = state.handle(.enter)
        #expect(r3.command == nil)
        #expect(state.message?.text.hasSuffix("that is lwpscope itself") == true)
    }

    @Test mutating func dimmedRowsAreDrawnDim() {
        let grid = state.render(width: 80, height: 24)
        let rows = state.picker.list.rows
        for (line, row) in rows.enumerated() {
            // Column 1 is inside the PID column on every row.
            #expect(grid[1, 2 + line].style.dim == !row.row.attachable, "pid \(row.row.pid)")
        }
    }

    @Test mutating func movementKeys() {
        #expect(state.selectedPickerPID == 1)
        _ = state.handle(.down)
        _ = state.handle(.character("j"))
        #expect(state.selectedPickerPID == 57)
        _ = state.handle(.character("k"))
        _ = state.handle(.up)
        #expect(state.selectedPickerPID == 1)
        _ = state.handle(.end)
        #expect(state.selectedPickerPID == 8123)
        _ = state.handle(.home)
        _ = state.handle(.pageDown)
        // 21 list rows at 80x24, fewer processes: a page goes to the last.
        #expect(state.selectedPickerPID == 8123)
        _ = state.handle(.pageUp)
        #expect(state.selectedPickerPID == 1)
    }

    @Test mutating func filterMatchesPIDUserOrCommandAndEscClearsIt() {
        _ = state.handle(.character("/"))
        state.type("424")
        #expect(pids == [4242])
        _ = state.handle(.escape)
        #expect(pids.count == Fixtures.pickerRows.count)
        _ = state.handle(.character("/"))
        state.type("MEMCACHE")
        #expect(pids == [7310], "user and command, any case")
        _ = state.handle(.escape)
        _ = state.handle(.character("/"))
        state.type("python")
        #expect(pids == [8123])
    }

    /// The pid on the row drawn selected (reverse in the focused list).
    private mutating func highlightedPID() -> Int32? {
        let grid = state.render(width: 80, height: 24)
        let lines = grid.textDump().split(separator: "\n", omittingEmptySubsequences: false)
        for y in 2..<23 where grid[1, y].style.reverse {
            return Int32(lines[y].split(separator: " ").first { Int32($0) != nil } ?? "")
        }
        return nil
    }

    /// The bug: 7310 was the 9th row; after `/dev` the cursor stayed on the
    /// last row (8123) and Enter attached a process nobody had chosen.
    @Test mutating func aFilterThatHidesTheSelectionLandsOnTheFirstMatch() {
        select(7310)
        _ = state.handle(.character("/"))
        state.type("dev")
        #expect(pids == [900, 4242, 4250, 4260, 5001, 8123])
        #expect(state.selectedPickerPID == 900)
        #expect(highlightedPID() == 900)
        _ = state.handle(.enter)
        let attach = state.handle(.enter)
        #expect(attach.command == .attach(900))
    }

    @Test mutating func theSelectionFollowsItsProcessThroughFiltering() {
        select(8123)
        _ = state.handle(.character("/"))
        state.type("s")
        #expect(state.selectedPickerPID == 8123, "still listed: it stays selected")
        state.type("q")
        #expect(pids.isEmpty)
        _ = state.handle(.backspace)
        #expect(state.selectedPickerPID == 8123, "listed again: the cursor comes back to it")
        state.type("er")
        #expect(pids == [4242, 4250])
        #expect(highlightedPID() == 4242)
        _ = state.handle(.enter)
        #expect(state.selectedPickerPID == 4242, "what was highlighted when typing ended is the choice")
        _ = state.handle(.escape)
        #expect(state.selectedPickerPID == 4242)
    }

    @Test mutating func escWhileTypingGoesBackToTheProcessChosenBefore() {
        select(5001)
        _ = state.handle(.character("/"))
        state.type("memc")
        #expect(state.selectedPickerPID == 7310)
        _ = state.handle(.escape)
        #expect(state.selectedPickerPID == 5001)
        #expect(highlightedPID() == 5001)
    }

    @Test mutating func aRefreshWhileFilteringKeepsTheChoice() {
        select(8123)
        _ = state.handle(.character("/"))
        state.type("serv")
        #expect(state.selectedPickerPID == 4242)
        state.setProcessList(Fixtures.pickerRows.reversed())
        #expect(state.selectedPickerPID == 4242)
        _ = state.handle(.backspace)
        _ = state.handle(.backspace)
        _ = state.handle(.backspace)
        _ = state.handle(.backspace)
        #expect(state.selectedPickerPID == 8123)
    }

    @Test mutating func whileTypingKeysAreTextAndEnterEndsTyping() {
        _ = state.handle(.character("/"))
        let r4 = state.handle(.character("q"))
        #expect(r4.command == nil)
        _ = state.handle(.backspace)
        state.type("serv")
        #expect(pids == [4242, 4250])
        let r5 = state.handle(.enter)
        #expect(r5.command == nil, "the first Enter only ends typing")
        #expect(state.picker.filter.text == "serv")
        let r6 = state.handle(.enter)
        #expect(r6.command == .attach(4242))
        let r7 = state.handle(.character("q"))
        #expect(r7.command == .quit)
    }

    @Test mutating func sortKeys() {
        _ = state.handle(.character("P"))
        #expect(pids.first == 4242, "busiest first")
        _ = state.handle(.character("P"))
        #expect(pids.last == 4242, "again: inverted")
        _ = state.handle(.character("M"))
        #expect(pids.prefix(2) == [7310, 4242])
        _ = state.handle(.character("N"))
        #expect(pids == Fixtures.pickerRows.map(\.pid).sorted())
        _ = state.handle(.character(">"))
        #expect(state.picker.sortColumn == .ppid)
        #expect(pids.prefix(4) == [1, 2, 900, 7310], "children of 0, then of 1")
        _ = state.handle(.character("s"))
        #expect(state.picker.sortColumn == .user, "s steps to the next column, as on the main screen")
        #expect(pids.first == 900, "dev before memcache and root")
        _ = state.handle(.function(6))
        #expect(state.picker.sortColumn == .threads)
        _ = state.handle(.character("<"))
        _ = state.handle(.character("<"))
        _ = state.handle(.character("<"))
        #expect(state.picker.sortColumn == .pid)
        _ = state.handle(.character("I"))
        #expect(pids.first == 8123)
    }

    @Test mutating func treeViewPutsChildrenUnderParents() {
        _ = state.handle(.character("t"))
        #expect(pids == [1, 900, 4242, 4250, 4260, 5001, 8123, 7310, 2, 57])
        let lines = state.picker.list.rows
        #expect(lines[1].prefix == "├─ ")
        #expect(lines[2].prefix == "│  ├─ ")
        #expect(lines[3].prefix == "│  │  ├─ ")
        #expect(lines[4].prefix == "│  │  └─ ")
        #expect(lines[7].prefix == "└─ ")
        #expect(lines[8].prefix == "")
        _ = state.handle(.character("t"))
        #expect(pids == Fixtures.pickerRows.map(\.pid).sorted())
    }

    @Test mutating func selectionSurvivesSortAndTreeToggle() {
        select(4250)
        _ = state.handle(.character("P"))
        #expect(state.selectedPickerPID == 4250)
        _ = state.handle(.character("t"))
        #expect(state.selectedPickerPID == 4250)
    }

    @Test mutating func quitAndHelp() {
        _ = state.handle(.character("?"))
        #expect(state.helpVisible)
        let r8 = state.render(width: 80, height: 24)
        #expect(r8.textDump().contains("attach to the selected process"))
        _ = state.handle(.character("x"))
        let r9 = state.handle(.character("q"))
        #expect(r9.command == .quit)
    }

    @Test mutating func enterWithNothingListed() {
        var empty = InspectorState()
        let r10 = empty.handle(.enter)
        #expect(r10.command == nil)
        #expect(empty.message?.text == "no processes listed yet")
    }
}
