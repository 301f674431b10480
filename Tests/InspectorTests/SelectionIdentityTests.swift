import Testing
@testable import Inspector

/// A refresh may reorder, add and remove rows; the cursor follows its row.
@Suite struct SelectionIdentityTests {
    @Test func threadSelectionFollowsItsThreadAcrossAReorderingRefresh() {
        var state = Fixtures.mainState(selecting: 4245)
        var threads = Fixtures.threads.reversed() as [ThreadRow]
        threads.insert(ThreadRow(tid: 4240, name: "early", state: "S"), at: 0)
        threads[3].cpuPercent = 50
        let r1 = state.setThreads(threads)
        #expect(r1 == nil, "same thread: no new backtrace request")
        #expect(state.selectedThreadID == 4245)
        #expect(state.main.backtrace.thread?.tid == 4245)
    }

    @Test func removedThreadLeavesTheCursorInPlaceAndAsksForTheNewOne() {
        var state = Fixtures.mainState(selecting: 4245)
        let index = state.main.threads.list.selectedIndex
        let command = state.setThreads(Fixtures.threads.filter { $0.tid != 4245 })
        #expect(state.main.threads.list.selectedIndex == index)
        #expect(state.selectedThreadID == 4246)
        #expect(command == .selectThread(4246))
    }

    @Test func firstSnapshotAsksForTheFirstBacktrace() {
        var state = InspectorState(attached: Fixtures.status)
        let r2 = state.setThreads(Fixtures.threads)
        #expect(r2 == .selectThread(4242))
        let r3 = state.setThreads([])
        #expect(r3 == nil)
        #expect(state.selectedThreadID == nil)
    }

    @Test func selectionByIdentityUnderASortByCPU() {
        var state = Fixtures.mainState()
        _ = state.handle(.character("P"))
        for _ in 0..<3 { _ = state.handle(.character("s")) }
        #expect(state.main.threads.sortColumn == .cpu)
        state.selectThread(4246)
        var threads = Fixtures.threads
        threads[4].cpuPercent = 99
        _ = state.setThreads(threads)
        #expect(state.selectedThreadID == 4246)
        #expect(state.main.threads.list.selectedIndex == 0, "now the busiest")
    }

    @Test func backtraceFollowsTheThreadAndKeepsItsFrame() {
        var state = Fixtures.mainState(selecting: 4245)
        _ = state.handle(.character("3"))
        _ = state.handle(.down)
        _ = state.handle(.down)
        state.setBacktrace(Fixtures.heldBacktrace)
        #expect(state.main.backtrace.list.selectedRow?.index == 2)
        state.selectThread(4244)
        #expect(state.main.backtrace.list.rows.isEmpty)
        let r4 = state.render(width: 80, height: 24)
        #expect(r4.textDump().contains("fetching backtrace..."))
        state.selectThread(4245)
        #expect(state.main.backtrace.list.selectedRow?.index == 0, "another thread starts at #0")
    }

    @Test func backtracesOfGoneThreadsAreForgotten() {
        var state = Fixtures.mainState(selecting: 4245)
        _ = state.setThreads(Fixtures.threads.filter { $0.tid != 4245 })
        _ = state.setThreads(Fixtures.threads)
        state.selectThread(4245)
        #expect(state.main.backtrace.cache[4245] == nil)
    }

    @Test func pickerSelectionSurvivesARefresh() {
        var state = Fixtures.pickerState()
        _ = state.handle(.end)
        #expect(state.selectedPickerPID == 8123)
        var rows = Fixtures.pickerRows.shuffled()
        rows.append(PickerRow(pid: 9000, ppid: 1, user: "dev", threads: 1, state: "S", cpuPercent: 0, rssKiB: 1, command: "new"))
        state.setProcessList(rows)
        #expect(state.selectedPickerPID == 8123)
    }

    @Test func flagSelectionFollowsItsFlagWhenValuesChange() {
        var state = Fixtures.mainState()
        _ = state.handle(.character("4"))
        _ = state.handle(.end)
        var flags = Fixtures.flags
        flags[0].value = 0
        flags.append(HoldFlagRow(name: "zz_last", module: "/a/aaa.so", value: 0, size: 4, address: 1))
        state.setHoldFlags(flags.reversed())
        let r5 = state.handle(.character(" "))
        #expect(r5.command == .toggleFlag(name: "hold_workers", address: 0x55ca_c88b_e010))
    }

    @Test func treeSelectionFollowsItsProcess() {
        var state = Fixtures.mainState()
        _ = state.handle(.character("1"))
        _ = state.handle(.down)
        #expect(state.main.tree.selectedProcess?.pid == 4250)
        var tree = Fixtures.tree
        tree.insert(ProcessTreeRow(pid: 4249, parent: 4242, command: "sibling", depth: 2, traced: true), at: 2)
        state.setProcessTree(tree)
        #expect(state.main.tree.selectedProcess?.pid == 4250)
    }

    @Test func anotherProcessStartsEmptyButKeepsFocusAndSort() {
        var state = Fixtures.mainState(selecting: 4245)
        _ = state.handle(.character("s"))
        _ = state.handle(.character("3"))
        _ = state.handle(.character("z"))
        state.showMain(InspectorStatus(pid: 4250, command: "./server --child"))
        #expect(state.focusedPane == .backtrace)
        #expect(state.main.zoomed)
        #expect(state.main.threads.sortColumn == .name)
        #expect(state.selectedThreadID == nil)
        let r6 = state.setThreads([ThreadRow(tid: 4250, name: "server", state: "t")])
        #expect(r6 == .selectThread(4250))
        #expect(state.main.tree.list.rows.isEmpty)
    }
}
