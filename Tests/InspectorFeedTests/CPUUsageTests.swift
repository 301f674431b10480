import InspectorFeed
import ProcFS
import Testing

@Suite struct CPUUsageTests {
    let hz = ProcFS.clockTicksPerSecond

    @Test func theFirstRefreshHasNoPercentagesTheSecondHasTheDeltas() {
        var cpu = CPUUsage()
        #expect(cpu.percentages([1: 100, 2: 500], now: 10).isEmpty)
        // Two seconds later: thread 1 used one full second, thread 2 a quarter of one.
        let shares = cpu.percentages([1: 100 + hz, 2: 500 + hz / 4], now: 12)
        #expect(abs(shares[1]! - 50) < 0.01)
        #expect(abs(shares[2]! - 12.5) < 0.01)
    }

    @Test func newThreadsReusedTIDsAndAClockThatDidNotMoveAreLeftOut() {
        var cpu = CPUUsage()
        _ = cpu.percentages([1: 100, 2: 500], now: 10)
        let shares = cpu.percentages([1: 100, 2: 20, 3: 7], now: 11)
        #expect(shares[1] == 0)
        #expect(shares[2] == nil, "ticks went back: another thread with that tid")
        #expect(shares[3] == nil, "new since the last refresh")
        #expect(cpu.percentages([1: 200], now: 11).isEmpty)
    }

    @Test func fromSnapshots() {
        var cpu = CPUUsage()
        _ = cpu.percentages(Values.snapshot([4242: 10, 4243: 0]), now: 1)
        let shares = cpu.percentages(Values.snapshot([4242: 10, 4243: hz]), now: 2)
        #expect(shares[4242] == 0)
        #expect(abs(shares[4243]! - 100) < 0.01)
    }
}
