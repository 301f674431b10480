#if canImport(Glibc)
import Glibc
#endif

/// Microseconds on CLOCK_MONOTONIC: cheap, and immune to wall-clock changes.
public enum MonotonicClock {
    /// Seconds, for `HeldTask.since`.
    public static func seconds() -> Double { Double(microseconds()) / 1_000_000 }

    static func microseconds() -> Int {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return now.tv_sec * 1_000_000 + now.tv_nsec / 1000
    }

    static func sleep(microseconds: Int) {
        var duration = timespec(tv_sec: microseconds / 1_000_000, tv_nsec: (microseconds % 1_000_000) * 1000)
        nanosleep(&duration, nil)
    }
}
