import ArgumentParser
import CPtrace
#if canImport(Glibc)
import Glibc
#endif

/// `lwpscope _exec-stopped -- CMD ARGS...`: how `run` starts a program traced
/// from its first instruction (see `TraceEngine.launch`); not for people. It
/// stops itself, the engine seizes it and lets it go on, and it execs CMD.
struct ExecStoppedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "_exec-stopped",
        abstract: "Stop, then exec the command (started by `lwpscope run` itself).",
        shouldDisplay: false)

    @Flag(name: .customLong("own-group"), help: "Start the command in a process group of its own.")
    var ownGroup = false

    @Argument(parsing: .captureForPassthrough, help: "The command and its arguments.")
    var command: [String] = []

    func run() throws {
        let words = command.first == "--" ? Array(command.dropFirst()) : command
        guard !words.isEmpty else { Glibc.exit(127) }
        let argv = words.map { strdup($0) } + [nil]
        let error = lwp_stop_then_exec(argv, ownGroup ? 1 : 0)
        printLine("lwpscope: cannot run \(words[0]): \(String(cString: strerror(-error)))", to: STDERR_FILENO)
        Glibc.exit(127)
    }
}
