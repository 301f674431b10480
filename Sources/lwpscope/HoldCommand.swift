import ArgumentParser
import Backtraces
import Engine
import FoundationEssentials
import Holds

struct HoldCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hold",
        abstract: "List the hold flags of a process and the threads parked on them; set one, or release one thread.",
        discussion: """
            A hold flag is a variable a program spins on, `static volatile int hold = 1; while (hold);`: \
            symbols named hold, hold.N (gcc's function statics), FUNC.hold (clang's), or any --flag. \
            A thread is held on a flag when it runs in a function whose code reads that flag.
            """)

    @Argument(help: "The process id (none with --wait-for).")
    var pid: Int32?

    @Flag(name: .long, help: "Print JSON instead of a table.")
    var json = false

    @Option(name: .customLong("flag"), help: "Another flag to look for: NAME or MODULE:NAME (repeatable).")
    var flags: [String] = []

    @Option(name: .customLong("set"), help: "Write a flag: NAME=VALUE (decimal or 0x hex), exactly its size.")
    var assignment: String?

    @Option(name: .customLong("release-thread"), help: "Let only this thread out of the loop it is held in; the flag keeps its value.")
    var releaseThread: Int32?

    @Option(name: .customLong("at"), help: ArgumentHelp(
        "Park every thread that reaches LOCATION (repeatable): FUNCTION, MODULE:FUNCTION, FILE:LINE or *0xADDRESS. "
            + "Stays attached, prints an event per line, reads `release TID`, `release all`, `list`, `quit` on stdin.",
        valueName: "location"))
    var points: [String] = []

    @Option(name: .customLong("thread"), help: ArgumentHelp("With --at: park only threads whose name matches this glob; others run through.", valueName: "glob"))
    var threadPattern: String?

    @Flag(name: .long, help: "Hold every new child and thread at birth; stays attached as --at does.")
    var births = false

    @Option(name: .long, help: ArgumentHelp(
        "Hold a traced process at an exec whose program's basename or path matches GLOB (repeatable); stays attached as --at does.",
        valueName: "glob"))
    var execs: [String] = []

    @Option(name: .customLong("wait-for"), help: ArgumentHelp(
        "Instead of PID: the first new process whose name, path or command line matches this glob, held at once.",
        valueName: "pattern"))
    var waitFor: String?

    /// Stays attached and prints events: any of --at, --births, --execs, --wait-for.
    var isSession: Bool { !points.isEmpty || births || !execs.isEmpty || waitFor != nil }

    func validate() throws {
        if isSession && (!flags.isEmpty || assignment != nil || releaseThread != nil) {
            throw ValidationError("--at, --births, --execs and --wait-for do not go with --flag, --set or --release-thread")
        }
        if threadPattern != nil && points.isEmpty { throw ValidationError("--thread goes with --at") }
        switch (pid, waitFor) {
        case (nil, nil): throw ValidationError("give the process id (or --wait-for PATTERN)")
        case (_?, _?): throw ValidationError("give either a process id or --wait-for, not both")
        default: break
        }
    }

    func run() async throws {
        if isSession {
            let rules = SessionRules(births: births, execs: execs, locations: points, threadPattern: threadPattern)
            let start: SessionStart = waitFor.map { .waitFor($0) } ?? .attach(pid ?? 0)
            let status = await EventSession(start: start, rules: rules, json: json).run()
            if status != 0 { throw ExitCode(status) }
            return
        }
        guard let pid else { throw ValidationError("give the process id") }
        let extraNames: [FlagName]
        do {
            extraNames = try flags.map { name throws(HoldFlagError) in try FlagName(parsing: name) }
        } catch {
            throw fail(error)
        }
        let parsedAssignment = try assignment.map(Self.parseAssignment)

        let engine = TraceEngine()
        let shutdown = ShutdownOnSignals { await engine.close() }
        defer { shutdown.disarm() }
        let outcome = await HoldSession(engine: engine, extraNames: extraNames)
            .run(pid: pid, assignment: parsedAssignment, releaseThread: releaseThread)
        if case .failure = outcome { await shutdown.yieldToSignalHandler() }
        await engine.close()
        switch outcome {
        case .failure(let message):
            throw fail(message)
        case .success(let report):
            if json {
                try printJSON(report)
            } else {
                print(HoldText.render(report), terminator: "")
            }
        }
    }

    static func parseAssignment(_ text: String) throws -> (name: String, value: UInt64) {
        guard let equals = text.lastIndex(of: "=") else {
            throw ValidationError("--set takes NAME=VALUE, e.g. --set hold=0")
        }
        let name = String(text[..<equals])
        let valueText = text[text.index(after: equals)...]
        let value = valueText.hasPrefix("0x") ? UInt64(valueText.dropFirst(2), radix: 16) : UInt64(valueText)
        guard !name.isEmpty, let value else {
            throw ValidationError("--set takes NAME=VALUE with a decimal or 0x hex value, not \(text)")
        }
        return (name, value)
    }
}
