import CPtrace
#if canImport(Glibc)
import Glibc
#endif

/// When an idle engine should call waitpid(-1), which scans every tracee:
/// after a SIGCHLD since its last look (every waitable ptrace event sends
/// one), and every `fallbackNanoseconds` whatever happened, so that if
/// someone else takes SIGCHLD from us an event waits that long, never forever.
/// Touched only on the engine's thread.
final class ChildSignalGate: @unchecked Sendable {
    static let fallbackNanoseconds: UInt64 = 100_000_000
    private var seen: UInt = .max
    private var lastLook: UInt64 = 0
    private var counting: Bool

    init() { counting = lwp_count_sigchld() == 1 }

    /// Whether to look now; a look is assumed to follow a true answer.
    func shouldLook() -> Bool {
        let count = lwp_sigchld_count()
        let now = Self.monotonicNanoseconds()
        // Read before the look: a SIGCHLD during it changes the count again.
        if count != seen {
            seen = count
            lastLook = now
            return true
        }
        if now &- lastLook >= Self.fallbackNanoseconds {
            lastLook = now
            counting = lwp_sigchld_counted() == 1 || lwp_count_sigchld() == 1
            return true
        }
        return !counting
    }

    private static func monotonicNanoseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }
}
