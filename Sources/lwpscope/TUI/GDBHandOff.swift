import Guardian
#if canImport(Glibc)
import Glibc
#endif

/// Runs `gdb -p PID` on the terminal, directly with argv (never a shell), on
/// the thread the user had selected, and waits for it. Returns a line for
/// the status bar.
enum GDBHandOff {
    static let notInstalled = "gdb is not installed (apt-get install gdb)"

    static var executable: String? {
        ["/usr/bin/gdb", "/usr/local/bin/gdb", "/bin/gdb"].first { path in access(path, X_OK) == 0 }
    }

    static func run(pid: Int32, thread: Int32?, threadNumber: Int?) -> String {
        guard let gdb = executable else { return notInstalled }
        // Said before gdb's own lines, and again (by gdb) just above its first prompt.
        let line = Array("\(banner(pid))\n".utf8)
        _ = line.withUnsafeBytes { write(STDOUT_FILENO, $0.baseAddress, $0.count) }
        let arguments = [gdb] + self.arguments(pid: pid, thread: thread, threadNumber: threadNumber)
        var child: pid_t = 0
        let rc = SpawnAttributes.with(defaults: [SIGINT, SIGTERM, SIGHUP, SIGQUIT]) { attributes in
            SpawnAttributes.withArgv(arguments) { argv in posix_spawn(&child, gdb, nil, attributes, argv, environ) }
        }
        guard rc == 0 else { return "could not start gdb: \(String(cString: strerror(rc)))" }
        var status: Int32 = 0
        while waitpid(child, &status, 0) < 0, errno == EINTR {}
        return "back from gdb; attached again to pid \(pid)"
    }

    static func banner(_ pid: Int32) -> String {
        "lwpscope: quit gdb to return to lwpscope (it attaches to pid \(pid) again)"
    }

    /// gdb's arguments after its path. `thread N` takes gdb's own number,
    /// which it gives threads in the order /proc/PID/task lists them when it
    /// attaches (`threadNumber`, counted just before); threads born or gone
    /// in between shift it, so where gdb has Python the thread is then
    /// selected by its LWP, and `thread` shows which one it is.
    static func arguments(pid: Int32, thread: Int32?, threadNumber: Int?) -> [String] {
        var arguments = ["-q", "-p", String(pid)]
        if let thread {
            if let threadNumber { arguments += ["-ex", "thread \(threadNumber)"] }
            arguments += [
                "-ex", "python [t.switch() for t in gdb.selected_inferior().threads() if t.ptid[1] == \(thread)]",
                "-ex", "thread",
            ]
        }
        return arguments + ["-ex", "echo \(banner(pid))\\n"]
    }

    /// gdb's number for `tid` when it attaches now: its place in /proc's
    /// task list (`tasks`, in directory order), counting from 1.
    static func threadNumber(of tid: Int32, among tasks: [Int32]) -> Int? {
        tasks.firstIndex(of: tid).map { $0 + 1 }
    }
}
