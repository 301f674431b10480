import ProcFS

/// CPU% per thread from the ticks two refreshes apart, as top and htop show it.
struct CPUUsage {
    private var previous: [Int32: UInt64] = [:]
    private var previousTime: Double?

    mutating func percentages(_ ticks: [Int32: UInt64], now: Double) -> [Int32: Double] {
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
}
