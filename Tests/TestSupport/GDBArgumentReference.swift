/// gdb as the reference for frame arguments: `thread apply all bt` with every
/// argument printed (`set print frame-arguments all`) and entry values as by
/// default (`name=name@entry=3`).
public enum GDBArgumentReference {
    public static func arguments(pid: Int32) -> [String] {
        ["-batch", "-nx", "-iex", "set debuginfod enabled off", "-p", String(pid),
         "-ex", "set pagination off", "-ex", "set width 0",
         "-ex", "set print frame-arguments all", "-ex", "set print entry-values default",
         "-ex", "set backtrace past-main on", "-ex", "thread apply all bt"]
    }

    /// gdb's raw output and the arguments parsed from it.
    public static func capture(of pid: Int32, timeout: Double = 120) throws -> (text: String, frames: [Int32: [GDBFrameArguments]]) {
        guard let gdb = GDBReference.executable else { throw TestFailure("gdb is not installed") }
        let result = try run(gdb, arguments(pid: pid), timeout: timeout)
        let frames = GDBArgumentParser.parse(result.stdout)
        guard !frames.isEmpty else { throw TestFailure("gdb printed no backtraces for pid \(pid):\n\(result.stdout)\n\(result.stderr)") }
        return (result.stdout, frames)
    }
}
