import ArgumentParser

@main
struct Lwpscope: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lwpscope",
        abstract: "Inspect the threads of running Linux processes: snapshots, backtraces and hold flags.",
        discussion: """
            Every command attaches with PTRACE_SEIZE, stops the process only as long as it must, \
            and detaches on every way out (including Ctrl-C, SIGTERM and SIGHUP), leaving the \
            process running, or stopped if it was stopped before.
            """,
        subcommands: [
            InspectCommand.self, PsCommand.self, ThreadsCommand.self, DumpCommand.self, HoldCommand.self, GraphCommand.self, RunCommand.self,
            GuardianCommand.self, ExecStoppedCommand.self,
        ],
        defaultSubcommand: InspectCommand.self
    )

    /// The short forms of `dump` skip ArgumentParser (see `DumpShortcut`);
    /// everything else is parsed, run and reported by it.
    static func main() async {
        if let request = DumpShortcut.request(CommandLine.arguments.dropFirst()) {
            do {
                try await request.run()
            } catch {
                exit(withError: error)
            }
            return
        }
        await main(nil)
    }
}
