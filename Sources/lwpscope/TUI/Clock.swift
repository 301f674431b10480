#if canImport(Glibc)
import Glibc
#endif

/// Seconds on a monotonic clock, for refresh times and CPU%.
enum Clock {
    private static let origin = ContinuousClock.now

    static func now() -> Double {
        let elapsed = (ContinuousClock.now - origin).components
        return Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
    }
}

/// The time of day for the event log, in the local time zone.
enum WallClock {
    /// `14:03:27`
    static func timeOfDay() -> String {
        var now = time(nil)
        var parts = tm()
        localtime_r(&now, &parts)
        return [parts.tm_hour, parts.tm_min, parts.tm_sec].map { $0 < 10 ? "0\($0)" : "\($0)" }.joined(separator: ":")
    }
}
