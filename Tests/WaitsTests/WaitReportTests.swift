import Testing
@testable import Waits

@Suite struct WaitReportTests {
    @Test func deadlockedThreadsAreTheCyclesThreads() {
        var report = WaitReport()
        let a = ThreadRef(pid: 1, tid: 2), b = ThreadRef(pid: 1, tid: 3)
        report.cycles = [[a, b]]
        #expect(report.deadlocked == [a, b])
        #expect(!report.deadlocked.contains(ThreadRef(pid: 1, tid: 4)))
    }
}
