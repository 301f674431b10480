import Testing
@testable import Waits

/// wait4's children, calls without an object, and what /proc may throw at
/// the analyzer: a thread gone mid-analysis, an unparseable syscall line.
@Suite struct ChildAndBadInputTests {
    let proc = FakeProc()

    func analyze(_ pid: Int32, _ fds: FakeDescriptors = FakeDescriptors()) -> WaitReport {
        proc.analyzer(fds).analyze(processes: [pid], followDepth: 0)
    }

    @Test func wait4ForOneChildNamesIt() {
        proc.process(100, "sh")
        proc.blocked(100, 100, "sh", Call.wait4, [812, 0x1000, 0, 0])
        proc.process(812, "sleep", ppid: 100)
        proc.process(813, "other", ppid: 100)
        let report = analyze(100)
        let wait = report.wait(pid: 100, tid: 100)
        #expect(wait?.object == .child)
        #expect(wait?.peers == [WaitPeer(pid: 812, command: "sleep")])
        #expect(wait?.label() == "wait4 child ← 812 sleep")
        #expect(report.edges == [WaitEdge(from: ThreadRef(pid: 100, tid: 100), to: ThreadRef(pid: 812, tid: nil), via: .child)])
    }

    @Test func wait4ForAnyChildNamesEveryChild() {
        proc.process(100, "sh")
        proc.blocked(100, 100, "sh", Call.wait4, [UInt64(bitPattern: -1), 0x1000, 0, 0])
        proc.process(812, "sleep", ppid: 100)
        proc.process(813, "cat", ppid: 100)
        proc.process(900, "unrelated", ppid: 1)
        let wait = analyze(100).wait(pid: 100, tid: 100)
        #expect(wait?.peers.map(\.pid) == [812, 813])
        #expect(wait?.label() == "wait4 child ← 812 sleep +1")
    }

    @Test func waitidForAPidThatIsNotAChildSaysSo() {
        proc.process(100, "sh")
        proc.blocked(100, 100, "sh", 247, [1, 900, 0x1000, 4])  // waitid(P_PID, 900, ...)
        proc.process(900, "unrelated", ppid: 1)
        let wait = analyze(100).wait(pid: 100, tid: 100)
        #expect(wait?.syscall == "waitid")
        #expect(wait?.peers == [])
        #expect(wait?.note == "pid 900 is not a child of 100")
    }

    @Test func callsWithoutAnObjectAreJustTheirName() {
        proc.process(100, "sleeper")
        proc.blocked(100, 100, "sleeper", Call.clockNanosleep, [0, 0, 0x1000, 0])
        proc.blocked(100, 101, "pauser", Call.pause, [])
        let report = analyze(100)
        #expect(report.wait(pid: 100, tid: 100) == ThreadWait(syscall: "clock_nanosleep", syscallNumber: 230))
        #expect(report.wait(pid: 100, tid: 101)?.label() == "pause")
        #expect(report.edges.isEmpty)
    }

    @Test func unknownNumbersAreNamedByNumber() {
        proc.process(100, "odd")
        proc.blocked(100, 100, "odd", 9999, [1, 2, 3])
        #expect(analyze(100).wait(pid: 100, tid: 100)?.syscall == "syscall 9999")
    }

    @Test func runningAndFaultingThreadsHaveNoWait() {
        proc.process(100, "busy")  // main thread: "running"
        proc.thread(100, 101, "faulting", syscall: "-1 0x7ffd0000 0x7f0000001234", state: "D")
        #expect(analyze(100).waits.isEmpty)
    }

    @Test func aGarbageSyscallLineIsAClearWaitNotAGuess() {
        proc.process(100, "odd")
        proc.thread(100, 101, "garbled", syscall: "0 0xzz")
        let wait = analyze(100).wait(pid: 100, tid: 101)
        #expect(wait?.syscall == "unknown")
        #expect(wait?.note == "\(proc.root)/100/task/101/syscall unreadable")
    }

    @Test func aThreadGoneMidAnalysisIsLeftOut() {
        proc.process(100, "p")
        proc.blocked(100, 100, "p", Call.read, [3])
        let fds = FakeDescriptors()
        fds.add(pid: 100, .init(fd: 3, kind: .pipe), peers: [WaitPeer(pid: 100, command: "p", fd: 4)])
        // Listed by the caller, but its directory is gone by the time it is read.
        let report = proc.analyzer(fds).analyze([ThreadWaitInput(pid: 100, tid: 100), ThreadWaitInput(pid: 100, tid: 555)])
        #expect(report.wait(pid: 100, tid: 555) == nil)
        #expect(report.wait(pid: 100, tid: 100)?.peers == [WaitPeer(pid: 100, command: "p", fd: 4)])
    }

    @Test func aProcessGoneEntirelyIsLeftOut() {
        let report = proc.analyzer().analyze(processes: [4242])
        #expect(report.waits.isEmpty)
        #expect(report.processes.isEmpty)
        let direct = proc.analyzer().analyze([ThreadWaitInput(pid: 4242, tid: 4242)])
        #expect(direct.waits.isEmpty)
    }

    @Test func aSyscallTheCallerReadIsUsedAsIs() {
        proc.process(100, "p")  // /proc says running now
        let given = ThreadWaitInput(pid: 100, tid: 100, syscall: .inSyscall(number: 230, arguments: [0, 0, 0, 0, 0, 0], stackPointer: 0, programCounter: 0))
        #expect(proc.analyzer().analyze([given]).wait(pid: 100, tid: 100)?.syscall == "clock_nanosleep")
    }
}
