import Testing
@testable import Inspector

/// `f` from a thread to the other end of its wait, WAITS ON in `/` and the
/// sort, and where `f` lands.
@Suite struct FollowWaitKeyTests {
    @Test func fOnAThreadNamesTheOwnerThreadOrThePeerProcess() {
        var state = WaitFixtures.state(selecting: 4302)
        #expect(state.handle(.character("f")).command == .followWait(pid: 4300, tid: 4303))
        state.selectThread(4301)
        #expect(state.handle(.character("f")).command == .followWait(pid: 4200, tid: nil))
        // From the backtrace pane too: it shows the selected thread.
        _ = state.handle(.character("3"))
        #expect(state.handle(.character("f")).command == .followWait(pid: 4200, tid: nil))
    }

    @Test func fWithNowhereToGoSaysWhy() {
        var state = WaitFixtures.state(selecting: 4304)
        #expect(state.handle(.character("f")).command == nil)
        #expect(state.message?.text == "4304 held-worker is running: it waits on nothing to follow")
        state.selectThread(4306)
        #expect(state.handle(.character("f")).command == nil)
        #expect(state.message?.text == "4306 cond-waiter waits in futex condvar: nobody at the other end")
        #expect(state.message?.severity == .warning)
    }

    @Test func fOutsideTheThreadPanesPointsThere() {
        var state = WaitFixtures.state(selecting: 4302)
        _ = state.handle(.character("1"))
        #expect(state.handle(.character("f")).command == nil)
        #expect(state.message?.text.contains("press 2") == true)
    }

    @Test func landingSelectsTheThreadFocusesTheTableAndClearsAFilterHidingIt() {
        var state = WaitFixtures.state(selecting: 4300)
        _ = state.handle(.character("1"))
        let landed = state.selectThread(tid: 4303)
        #expect(landed && state.selectedThreadID == 4303 && state.focusedPane == .threads)
        _ = state.handle(.character("/"))
        state.type("pipe")
        _ = state.handle(.enter)
        #expect(state.main.threads.list.rows.map(\.tid) == [4301])
        let hidden = state.selectThread(tid: 4305)
        #expect(hidden && state.selectedThreadID == 4305 && !state.main.threads.filter.isActive)
        let missing = state.selectThread(tid: 9999)
        #expect(!missing && state.selectedThreadID == 4305, "not in the table: the selection stays")
    }

    @Test func landingOnAGroupedThreadSelectsItsGroup() {
        var rows = WaitFixtures.threads
        for index in rows.indices { rows[index].stackGroup = rows[index].name.hasPrefix("lock-") ? 1 : nil }
        var state = WaitFixtures.state()
        state.setThreads(rows)
        _ = state.handle(.character("c"))
        let landed = state.selectThread(tid: 4303)
        #expect(landed && state.selectedThreadID == 4302, "the group's row stands for its lowest tid")
    }

    @Test func slashMatchesWaitsOnAndTheDeadlockMark() {
        var state = WaitFixtures.state()
        _ = state.handle(.character("/"))
        state.type("4200")
        _ = state.handle(.enter)
        #expect(state.main.threads.list.rows.map(\.tid) == [4301])
        _ = state.handle(.escape)
        _ = state.handle(.character("/"))
        state.type("deadlock")
        _ = state.handle(.enter)
        #expect(state.main.threads.list.rows.map(\.tid) == [4302, 4303])
    }

    @Test func theTableSortsByWaitsOn() {
        var state = WaitFixtures.state()
        for _ in 0..<5 { _ = state.handle(.character("s")) }
        #expect(state.main.threads.title.contains("by WAITS ON"))
        // Blank (running) first, then alphabetical.
        #expect(state.main.threads.list.rows.map(\.tid) == [4304, 4306, 4303, 4302, 4305, 4301, 4300])
    }
}

/// `a`: the picker opened from a session adds to it; Esc goes back.
@Suite struct AddProcessKeyTests {
    @Test func aOnTheMainScreenOpensThePicker() {
        var state = WaitFixtures.state(selecting: 4302)
        #expect(state.handle(.character("a")).command == .openPicker)
    }

    @Test mutating func aInThePickerAddsTheHighlightedProcessAndEnterStillAttaches() {
        var state = PickerFixtures.state()
        state.showPicker(addingToSession: true)
        #expect(state.pickerAddsToSession)
        while state.selectedPickerPID != 4242 { _ = state.handle(.down) }
        #expect(state.handle(.character("a")).command == .addProcess(4242))
        #expect(state.handle(.enter).command == .attach(4242))
        // The same refusals and cautions as Enter.
        while state.selectedPickerPID != 2 { _ = state.handle(.up) }
        #expect(state.handle(.character("a")).command == nil)
        #expect(state.message?.text.hasPrefix("cannot attach to 2") == true)
        while state.selectedPickerPID != 900 { _ = state.handle(.down) }
        #expect(state.handle(.character("a")).command == nil)
        #expect(state.message?.text.hasSuffix("press a again to attach") == true)
        #expect(state.handle(.character("a")).command == .addProcess(900))
    }

    @Test func escGoesBackToTheSessionWithItsPanes() {
        var state = WaitFixtures.state(selecting: 4302)
        state.showPicker(addingToSession: true)
        state.setProcessList(PickerFixtures.rows)
        let bar = String(state.render(width: 120, height: 40).textDump().split(separator: "\n").last ?? "")
        #expect(bar.contains("aAdd") && bar.contains("EscBack"), "\(bar)")
        // Esc first clears a filter, then leaves.
        _ = state.handle(.character("/"))
        state.type("ser")
        _ = state.handle(.enter)
        _ = state.handle(.escape)
        #expect(state.screen == .picker)
        _ = state.handle(.escape)
        #expect(state.screen == .main && state.status.pid == 4300 && state.selectedThreadID == 4302)
    }

    @Test func escInAFreshPickerDoesNotLeaveIt() {
        var state = PickerFixtures.state()
        _ = state.handle(.escape)
        #expect(state.screen == .picker)
    }
}

/// Pane 1 with several attached processes.
@Suite struct SeveralProcessesTreeKeyTests {
    @Test func enterShowsAnotherAttachedProcessOrAttachesAChild() {
        var state = WaitFixtures.state(selecting: 4302)
        _ = state.handle(.character("1"))
        _ = state.handle(.home)
        var seen: [Int32: InspectorCommand?] = [:]
        for _ in WaitFixtures.tree {
            if let pid = state.main.tree.selectedProcess?.pid { seen[pid] = state.handle(.enter).command }
            _ = state.handle(.down)
        }
        #expect(seen[900] == .some(nil), "an ancestor is context only")
        #expect(seen[4200] == .switchProcess(4200))
        #expect(seen[4300] == .some(nil), "already shown")
        #expect(seen[4310] == .attachAlso(4310))
        #expect(seen[7310] == .switchProcess(7310))
    }
}
