#if canImport(Glibc)
import Glibc
#endif

/// Runs `gdb -p PID` on the terminal, directly with argv (never a shell), and
/// waits for it. Returns a line for the status bar.
enum GDBHandOff {
    static func run(pid: Int32) -> String {
        let candidates: [String] = ["/usr/bin/gdb", "/usr/local/bin/gdb", "/bin/gdb"]
        let gdb = candidates.first { path in access(path, X_OK) == 0 }
        guard let gdb else { return "gdb is not installed (apt-get install gdb)" }
        let arguments: [String] = [gdb, "-q", "-p", String(pid)]
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGTERM, SIGHUP, SIGQUIT] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var child: pid_t = 0
        let rc = posix_spawn(&child, gdb, nil, &attributes, argv, environ)
        guard rc == 0 else { return "could not start gdb: \(String(cString: strerror(rc)))" }
        var status: Int32 = 0
        while waitpid(child, &status, 0) < 0, errno == EINTR {}
        return "back from gdb; attached again to pid \(pid)"
    }
}
