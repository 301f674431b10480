import Engine
import ProcFS

/// CPU% per thread from the ticks two refreshes apart, as top and htop show it.
public struct CPUUsage: Sendable {
    private var previous: [Int32: UInt64] = [:]
    private var previousTime: Double?

    public init() {}

    /// Each thread's share of one CPU since the last call; empty on the
    /// first. A thread new since then, or whose ticks went back (a reused
    /// tid), is left out.
    /// - now: seconds on a monotonic clock.
    public mutating func percentages(_ ticks: [Int32: UInt64], now: Double) -> [Int32: Double] {
        defer {
            previous = ticks
            previousTime = now
        }
        guard let previousTime, now > previousTime else { return [:] }
        let elapsedTicks = (now - previousTime) * Double(ProcFS.clockTicksPerSecond)
        var result: [Int32: Double] = [:]
        for (tid, value) in ticks {
            guard let before = previous[tid], value >= before else { continue }
            result[tid] = Double(value - before) / elapsedTicks * 100
        }
        return result
    }

    public mutating func percentages(_ snapshot: ProcessSnapshot, now: Double) -> [Int32: Double] {
        percentages(Dictionary(snapshot.threads.map { ($0.tid, $0.cpuTicks) }, uniquingKeysWith: { a, _ in a }), now: now)
    }
}
