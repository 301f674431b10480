import ArgumentParser
import Engine
import Terminal
#if canImport(Glibc)
import Glibc
#endif

/// `lwpscope run [--births] [--execs GLOB]... [--hold-start] [--events [--json]] -- CMD ARGS...`:
/// starts CMD traced from its first instruction, following its children by
/// the rules; the inspector on it, or event lines with `--events`.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Start a program traced from its first instruction, following its children by the rules.",
        discussion: """
            CMD inherits lwpscope's stdout and stderr (each event is one whole line) and, in the inspector \
            only, its stdin. With --events, lwpscope reads commands on stdin: release PID|TID, release all, \
            pass TID, list, quit; CMD runs in a process group of its own. On quit lwpscope detaches and CMD runs on.
            """)

    @Flag(name: .long, help: "Hold every new child and thread at birth.")
    var births = false

    @Option(name: .long, help: ArgumentHelp(
        "Hold a traced process at an exec whose program's basename or path matches GLOB (repeatable; '*' for all). "
            + "A child that can match none is let go at its first exec.", valueName: "glob"))
    var execs: [String] = []

    @Flag(name: .customLong("hold-start"), help: "Hold CMD at its first instruction.")
    var holdStart = false

    @Flag(name: .long, help: "Print events, one a line, instead of the inspector.")
    var events = false

    @Flag(name: .long, help: "With --events: JSON objects.")
    var json = false

    @Argument(parsing: .postTerminator, help: "The command and its arguments, after --.")
    var command: [String] = []

    @OptionGroup var sourceOptions: SourceOptions

    func validate() throws {
        guard !command.isEmpty else { throw ValidationError("give the command after --, e.g. lwpscope run -- ./server") }
        if json && !events { throw ValidationError("--json goes with --events") }
    }

    func run() async throws {
        let rules = SessionRules(births: births, execs: execs)
        if events {
            let status = await EventSession(start: .launch(command, holdAtStart: holdStart), rules: rules, json: json).run()
            if status != 0 { throw ExitCode(status) }
            return
        }
        if let problem = CommandLookup.problem(command) { throw fail(problem) }
        try await InspectorLaunch.run(rules: rules, sources: sourceOptions.sourceFiles(for: nil)) { engine throws(EngineError) in
            [try await engine.launch(command, holdAtStart: holdStart, input: .inherited, births: births, execs: execs)]
        }
    }
}
