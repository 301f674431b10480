import Backtraces
import Holds
import Inspector
import InspectorFeed
import Testing

@Suite struct ThreadRowsTests {
    @Test func heldOnAFlagAndHeldAtBirthAreMarkedAndNoOneElse() {
        let threads = [Values.spinner(4243), Values.sleeper, Values.newborn]
        let rows = ThreadRows.make(
            threads, heldBy: [4243: Values.staticHold], heldAtBirth: [4301])
        #expect(rows.map(\.tid) == [4243, 4300, 4301])
        #expect(rows[0].heldFlag == "hold (in spin_on_static_hold)")
        #expect(rows[0].heldAtBirth == false)
        #expect(rows[1].heldFlag == nil && rows[1].heldAtBirth == false && !rows[1].isHeld)
        #expect(rows[2].heldFlag == nil && rows[2].heldAtBirth && rows[2].isHeld)
    }

    @Test func rowsCarryNameStateWaitChannelAndTheInnermostFunction() {
        let rows = ThreadRows.make([Values.sleeper, Values.newborn, Values.thread(4302, "empty", .sleeping, [])])
        #expect(rows[0].name == "sleeper" && rows[0].state == "S" && rows[0].wchan == "hrtimer_nanosleep")
        #expect(rows[0].function == "clock_nanosleep")
        // Born but not yet in any symbol: where it is, by module file name and offset.
        #expect(rows[1].state == "t" && rows[1].function == "server+0x4abc")
        #expect(rows[2].function == nil)
    }

    @Test func cpuComesFromThePercentagesAndANewThreadShowsZero() {
        let rows = ThreadRows.make([Values.sleeper, Values.newborn], cpuPercent: [4300: 12.5])
        #expect(rows[0].cpuPercent == 12.5)
        #expect(rows[1].cpuPercent == 0)
    }

    @Test func spinnersAtDifferentPCsInOneLoopShareAGroupTheLargestFirst() {
        let threads = [Values.sleeper, Values.spinner(4243, pc: 0x55_0000_1234), Values.spinner(4244, pc: 0x55_0000_1238),
                       Values.spinner(4245, pc: 0x55_0000_1230), Values.newborn]
        let numbers = StackGroups.numbers(threads)
        #expect(numbers[4243] == 0 && numbers[4244] == 0 && numbers[4245] == 0)
        #expect(numbers[4300] != nil && numbers[4300] != 0)
        #expect(numbers[4301] != nil && numbers[4301] != numbers[4300] && numbers[4301] != 0)
        let rows = ThreadRows.make(threads, stackGroups: numbers)
        #expect(rows.map(\.stackGroup) == threads.map { numbers[$0.tid] })
    }

    @Test func withoutGroupsNoRowHasAGroup() {
        #expect(ThreadRows.make([Values.spinner(4243), Values.spinner(4244)]).allSatisfy { $0.stackGroup == nil })
    }

    @Test func holdFlagRowsTakeTheDisplayNameAndCountTheHeld() {
        let row = HoldFlagRow(Values.entry(Values.staticHold, value: 1, held: [4243, 4244]))
        #expect(row.name == "hold (in spin_on_static_hold)")
        #expect(row.module == Values.server && row.size == 4 && row.address == 0x55_0000_8014)
        #expect(row.value == 1 && row.heldThreadCount == 2)
        // An unreadable flag shows 0, not a stale value.
        #expect(HoldFlagRow(Values.entry(Values.hold, value: nil, held: [])).value == 0)
    }

    @Test func backtracesReachThePaneFrameForFrame() {
        let thread = Values.spinner(4243)
        let backtrace = Backtrace(thread)
        #expect(backtrace.tid == 4243 && backtrace.error == nil)
        #expect(backtrace.frames.map(\.function) == ["spin_on_hold", "worker_main", "start_thread"])
        #expect(backtrace.frames.map(\.pc) == thread.frames.map(\.pc))
        #expect(backtrace.frames[0].file == "/src/worker.c" && backtrace.frames[0].line == 12)
        #expect(backtrace.frames[2].module == Values.libc && backtrace.frames[2].offset == 0x305)
    }
}
