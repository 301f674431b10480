import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// gdb as the reference for backtraces: attaches to a live process in batch
/// mode, prints every thread's backtrace and detaches.
public enum GDBReference {
    /// gdb's path, or nil when it is not installed (tests then skip).
    public static let executable: String? = findExecutable("gdb")

    public static var isAvailable: Bool { executable != nil }

    /// The arguments for one batch run against `pid`. `-nx` keeps the user's
    /// .gdbinit out; `-batch` detaches and exits after the last command.
    /// debuginfod is off so no run waits on the network. Frame arguments are
    /// not printed (reading them is slow and no comparison uses them), and
    /// the backtrace goes on past main, as ours does, so the frames we show
    /// below main are checked rather than taken on trust. scripts/bench.py
    /// runs gdb with these same settings (GDB_SETTINGS there).
    public static func arguments(pid: Int32) -> [String] {
        ["-batch", "-nx", "-iex", "set debuginfod enabled off", "-p", String(pid)]
            + settings.flatMap { ["-ex", $0] } + ["-ex", "thread apply all bt"]
    }

    /// The `set` commands before `thread apply all bt`.
    public static let settings = [
        "set pagination off",
        "set width 0",
        "set print frame-arguments none",
        "set backtrace past-main on",
    ]

    /// Every thread's backtrace of `pid`, as gdb sees it. Throws when gdb is
    /// missing, times out, or printed no thread at all.
    public static func backtraces(of pid: Int32, timeout: Double = 60) throws -> [GDBThread] {
        try capture(of: pid, timeout: timeout).threads
    }

    /// gdb's parsed threads together with its raw output, for failure messages.
    public struct Capture: Sendable {
        public var threads: [GDBThread]
        public var stdout: String
        public var stderr: String
    }

    public static func capture(of pid: Int32, timeout: Double = 60) throws -> Capture {
        guard let gdb = executable else { throw TestFailure("gdb is not installed") }
        let result = try run(gdb, arguments(pid: pid), timeout: timeout)
        let threads = GDBOutputParser.parse(result.stdout)
        guard !threads.isEmpty else {
            throw TestFailure("gdb printed no backtraces for pid \(pid) (status \(result.status)):\n\(result.stdout)\n\(result.stderr)")
        }
        return Capture(threads: threads, stdout: result.stdout, stderr: result.stderr)
    }
}

/// The first executable named `name` on PATH (or in the usual places).
public func findExecutable(_ name: String) -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
    let directories = path.split(separator: ":").map(String.init) + ["/usr/bin", "/bin", "/usr/local/bin"]
    return directories.lazy.map { $0 + "/" + name }.first { access($0, X_OK) == 0 }
}
