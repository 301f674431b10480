import CPtrace
@testable import Engine
@testable import ProcFS
import Testing

/// Joining what a stop gathered into thread snapshots, from hand-built pieces.
@Suite struct ThreadSnapshotAssemblerTests {
    func info(_ tid: Int32, _ name: String, _ state: TaskState = .sleeping) -> ThreadInfo {
        ThreadInfo(id: tid, name: name, state: state, lastCPU: 1, userTicks: 5, systemTicks: 2, waitChannel: "futex_wait", syscall: nil)
    }

    func registers(pc: UInt64) -> ThreadRegisters {
        var raw = lwp_user_regs()
        raw.rip = pc
        raw.rsp = 0x7000
        return ThreadRegisters(raw: raw)
    }

    func gathered(
        info: [ThreadInfo], registers: [Int32: ThreadRegisters], stragglers: Set<Int32> = [],
        groupStopped: Set<Int32> = [], stillTraced: Set<Int32>, detached: Bool = false
    ) -> StopGathering {
        StopGathering(
            threadInfo: Dictionary(uniqueKeysWithValues: info.map { ($0.id, $0) }), registers: registers,
            stacks: registers.mapValues { StackCopy(address: $0.sp - 128, bytes: [1, 2, 3]) },
            stragglers: stragglers, groupStopped: groupStopped, stillTraced: stillTraced, detached: detached,
            deadlineMilliseconds: 2000)
    }

    @Test func eachThreadJoinsProcDetailsRegistersAndStack() {
        let parts = gathered(info: [info(11, "worker"), info(10, "main")], registers: [10: registers(pc: 0x1000), 11: registers(pc: 0x2000)],
                             stillTraced: [10, 11])
        let threads = ThreadSnapshotAssembler.threads(parts, lateInfo: { _ in nil }, comm: { _ in nil })
        #expect(threads.map(\.tid) == [10, 11])
        #expect(threads.map(\.name) == ["main", "worker"])
        #expect(threads.map { $0.registers?.pc } == [0x1000, 0x2000])
        #expect(threads.allSatisfy { $0.stack?.address == 0x7000 - 128 && $0.unavailableReason == nil })
        #expect(threads[0].cpuTicks == 7 && threads[0].lastCPU == 1 && threads[0].waitChannel == "futex_wait")
    }

    @Test func aThreadTheUserStoppedShowsStoppedNotTracingStop() {
        let parts = gathered(info: [info(10, "main", .tracingStop), info(11, "other", .tracingStop)],
                             registers: [10: registers(pc: 1), 11: registers(pc: 2)], groupStopped: [10], stillTraced: [10, 11])
        let threads = ThreadSnapshotAssembler.threads(parts, lateInfo: { _ in nil }, comm: { _ in nil })
        #expect(threads.map(\.state) == [.stopped, .tracingStop])
    }

    @Test func eachMissingRegisterSetSaysWhy() {
        let parts = gathered(info: [info(10, "main"), info(11, "vforker"), info(12, "gone"), info(13, "odd")],
                             registers: [10: registers(pc: 1)], stragglers: [11], stillTraced: [10, 11, 13])
        let threads = ThreadSnapshotAssembler.threads(parts, lateInfo: { _ in nil }, comm: { _ in nil })
        #expect(threads.map(\.unavailableReason) == [nil, "did not stop within 2000 ms", "exited during the snapshot", "registers unavailable"])
        #expect(threads.dropFirst().allSatisfy { $0.registers == nil && $0.stack == nil })
    }

    @Test func afterADetachNoThreadIsCalledExited() {
        let parts = gathered(info: [info(10, "main"), info(12, "unread")], registers: [10: registers(pc: 1)], stillTraced: [], detached: true)
        let threads = ThreadSnapshotAssembler.threads(parts, lateInfo: { _ in nil }, comm: { _ in nil })
        #expect(threads.map(\.unavailableReason) == [nil, "registers unavailable"])
    }

    @Test func aThreadBornDuringTheStopIsLookedUpLate() {
        let parts = gathered(info: [info(10, "main")], registers: [10: registers(pc: 1), 14: registers(pc: 2)], stillTraced: [10, 14, 15])
        let threads = ThreadSnapshotAssembler.threads(
            parts, lateInfo: { $0 == 14 ? info(14, "late") : nil }, comm: { $0 == 14 ? "wrong" : nil })
        // 15 has neither /proc details nor registers: it is gone, and left out.
        #expect(threads.map(\.tid) == [10, 14])
        #expect(threads[1].name == "late")
    }

    @Test func withoutProcDetailsTheNameComesFromComm() {
        let parts = gathered(info: [], registers: [20: registers(pc: 1)], stillTraced: [20])
        let threads = ThreadSnapshotAssembler.threads(parts, lateInfo: { _ in nil }, comm: { _ in "from-comm" })
        #expect(threads.map(\.name) == ["from-comm"])
        #expect(threads[0].state == .other("?"))
    }
}
