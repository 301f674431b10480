#if canImport(Glibc)
import Glibc
#endif

/// posix_spawn attributes that give the child an empty signal mask and default
/// handlers. Without them a child spawned from a libdispatch worker thread
/// inherits its mask, with SIGTERM and friends blocked, and ignores them.
final class SpawnAttributes {
    var raw = posix_spawnattr_t()

    init() {
        posix_spawnattr_init(&raw)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&raw, &empty)
        var all = sigset_t()
        sigfillset(&all)
        sigdelset(&all, SIGKILL)
        sigdelset(&all, SIGSTOP)
        posix_spawnattr_setsigdefault(&raw, &all)
        posix_spawnattr_setflags(&raw, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    }

    /// The child leads a process group of its own.
    func startNewProcessGroup() {
        var flags: Int16 = 0
        posix_spawnattr_getflags(&raw, &flags)
        posix_spawnattr_setpgroup(&raw, 0)
        posix_spawnattr_setflags(&raw, flags | Int16(POSIX_SPAWN_SETPGROUP))
    }

    deinit { posix_spawnattr_destroy(&raw) }
}
