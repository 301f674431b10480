#if canImport(Glibc)
import Glibc
#endif

/// Engine tracing to stderr, on when LWPSCOPE_ENGINE_LOG is set: every
/// waitpid result, for diagnosing a tracee that misbehaves.
enum EngineLog {
    static let enabled = getenv("LWPSCOPE_ENGINE_LOG") != nil

    @inline(__always)
    static func write(_ message: @autoclosure () -> String) {
        guard enabled else { return }
        var line = "[engine \(MonotonicClock.microseconds() / 1000 % 100_000) ms] " + message() + "\n"
        line.withUTF8 { _ = Glibc.write(2, $0.baseAddress, $0.count) }
    }
}
