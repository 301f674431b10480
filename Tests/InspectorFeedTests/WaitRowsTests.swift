import Backtraces
import Inspector
import InspectorFeed
import ProcFS
import Testing
import Waits

/// The thread table's join of a wait analysis: WAITS ON from each thread's
/// wait, the deadlock mark from the cycles, `f`'s target from the owner or peer.
@Suite struct WaitRowsTests {
    static let pid: Int32 = 4242
    static func ref(_ tid: Int32?, pid: Int32 = pid) -> ThreadRef { ThreadRef(pid: pid, tid: tid) }

    /// lock-a (4243) and lock-b (4244) wait on each other's mutex; the
    /// sleeper (4300) reads a pipe whose writer is process 5000; the
    /// spinner (4245) runs.
    static var report: WaitReport {
        var report = WaitReport()
        report.waits[ref(4243)] = ThreadWait(syscall: "futex", syscallNumber: 202, object: .mutex, owner: 4244,
                                             ownerPid: pid, ownerName: "lock-b")
        report.waits[ref(4244)] = ThreadWait(syscall: "futex", syscallNumber: 202, object: .mutex, owner: 4243,
                                             ownerPid: pid, ownerName: "lock-a")
        report.waits[ref(4300)] = ThreadWait(syscall: "read", syscallNumber: 0, fd: 3, object: .pipe,
                                             peers: [WaitPeer(pid: 5000, command: "writer", fd: 7)])
        report.waits[ref(4301)] = ThreadWait(syscall: "futex", syscallNumber: 202, object: .condvar)
        // Another process's thread with the same tid is not ours.
        report.waits[ref(4245, pid: 5000)] = ThreadWait(syscall: "read", syscallNumber: 0, object: .pipe)
        report.cycles = [[ref(4243), ref(4244)]]
        return report
    }

    static let threads = [
        Values.thread(4243, "lock-a", .sleeping, [Values.frame(0, pc: 0x7f_0000_2000, "pthread_mutex_lock", module: Values.libc)]),
        Values.thread(4244, "lock-b", .sleeping, [Values.frame(0, pc: 0x7f_0000_2000, "pthread_mutex_lock", module: Values.libc)]),
        Values.spinner(4245), Values.sleeper,
        Values.thread(4301, "cond", .sleeping, [Values.frame(0, pc: 0x7f_0000_3000, "pthread_cond_wait", module: Values.libc)]),
    ]

    @Test func eachRowTakesItsOwnWaitLabelDeadlockAndFollowTarget() {
        let report = Self.report
        let rows = ThreadRows.make(Self.threads, waits: report, pid: Self.pid)
        #expect(rows.map(\.tid) == [4243, 4244, 4245, 4300, 4301])
        #expect(rows[0].waitsOn == report.wait(pid: Self.pid, tid: 4243)?.label(held: []))
        #expect(rows[0].waitsOn != nil && rows[3].waitsOn != nil && rows[4].waitsOn != nil)
        #expect(rows[2].waitsOn == nil, "the spinner runs; 5000's thread 4245 is another thread")
        #expect(rows.map(\.deadlocked) == [true, true, false, false, false])
        #expect(rows[0].follow == FollowTarget(pid: Self.pid, tid: 4244))
        #expect(rows[1].follow == FollowTarget(pid: Self.pid, tid: 4243))
        #expect(rows[3].follow == FollowTarget(pid: 5000, tid: nil))
        #expect(rows[4].follow == nil, "a condition variable has nobody at the other end")
        #expect(rows[2].follow == nil)
    }

    @Test func theLabelIsToldWhichThreadsAreHeld() {
        let report = Self.report
        let rows = ThreadRows.make(Self.threads, heldBy: [4244: Values.staticHold], heldAtBirth: [4301],
                                   waits: report, pid: Self.pid)
        let held: Set = [Self.ref(4244), Self.ref(4301)]
        for (row, tid) in zip(rows, [Int32(4243), 4244, 4245, 4300, 4301]) {
            #expect(row.waitsOn == report.wait(pid: Self.pid, tid: tid)?.label(held: held))
        }
    }

    @Test func withoutAnAnalysisNoRowWaits() {
        let rows = ThreadRows.make(Self.threads)
        #expect(rows.allSatisfy { $0.waitsOn == nil && !$0.deadlocked && $0.follow == nil })
    }

    @Test func theAnalysisIsGivenEachThreadsSyscallNameAndFrames() {
        let syscall = ThreadSyscall.inSyscall(number: 202, arguments: [0x1000, 0x80, 2, 0, 0, 0],
                                              stackPointer: 0x7ffe_0000, programCounter: 0x7f_0000_2000)
        let inputs = ThreadRows.waitInputs(Self.threads, pid: Self.pid, syscalls: [4243: syscall])
        #expect(inputs.map(\.tid) == [4243, 4244, 4245, 4300, 4301])
        #expect(inputs.allSatisfy { $0.pid == Self.pid })
        #expect(inputs[0].syscall == syscall && inputs[1].syscall == nil, "nil: the analyzer reads it itself")
        #expect(inputs[0].name == "lock-a")
        #expect(inputs[0].frames == ["pthread_mutex_lock"])
        #expect(inputs[2].frames == ["spin_on_hold", "worker_main", "start_thread"])
    }
}
