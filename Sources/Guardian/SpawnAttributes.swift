#if canImport(Glibc)
import Glibc
#endif

/// posix_spawn attributes for a child that must not inherit the spawning
/// thread's signal state: an empty signal mask (a pool thread blocks
/// signals, and a mask survives exec) and default handlers for `defaults`
/// (every signal when nil), plus any other flags. The guardian, gdb and a
/// program `run` starts are all spawned so.
public enum SpawnAttributes {
    public static func with<T>(defaults: [Int32]? = nil, flags: Int32 = 0,
                               _ body: (UnsafeMutablePointer<posix_spawnattr_t>) throws -> T) rethrows -> T {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var reset = sigset_t()
        if let defaults {
            sigemptyset(&reset)
            for signal in defaults { sigaddset(&reset, signal) }
        } else {
            sigfillset(&reset)
        }
        posix_spawnattr_setsigdefault(&attributes, &reset)
        posix_spawnattr_setflags(&attributes, Int16(Int32(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF) | flags))
        return try body(&attributes)
    }

    /// `arguments` as a NULL-terminated C argv for the duration of `body`.
    public static func withArgv<T>(_ arguments: [String], _ body: ([UnsafeMutablePointer<CChar>?]) throws -> T) rethrows -> T {
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        return try body(argv)
    }
}
