import ArgumentParser
import Engine

/// `lwpscope [PID...]`: the full-screen inspector. Without a pid it starts
/// with the attach picker; with several, they are one session, the first shown.
struct InspectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "The full-screen inspector (the default): `lwpscope` picks a process, `lwpscope PID...` attaches.")

    @Argument(help: "The processes to attach to, the first one shown; without any, pick one from the list.")
    var pids: [Int32] = []

    @Option(name: .customLong("wait-for"), help: ArgumentHelp(
        "Attach to the first new process whose name, path or command line matches this glob, and hold it at once.",
        valueName: "pattern"))
    var waitFor: String?

    @Flag(name: .long, help: "Hold every new child and thread at birth (the `n` key).")
    var births = false

    @Option(name: .long, help: ArgumentHelp("Hold a traced process at an exec whose program matches GLOB (repeatable).",
                                            valueName: "glob"))
    var execs: [String] = []

    @OptionGroup var sourceOptions: SourceOptions

    func validate() throws {
        if waitFor != nil && !pids.isEmpty { throw ValidationError("--wait-for does not go with pids") }
        if (births || !execs.isEmpty) && pids.isEmpty && waitFor == nil {
            throw ValidationError("--births and --execs need a process: give its pid, or use --wait-for or `lwpscope run`")
        }
    }

    func run() async throws {
        let pids = pids, waitFor = waitFor
        try await InspectorLaunch.run(
            rules: SessionRules(births: births, execs: execs), sources: sourceOptions.sourceFiles(for: nil)) { engine throws(EngineError) in
            if let waitFor {
                print("lwpscope: waiting for a process matching \(waitFor) (Ctrl-C to give up)")
                return [await ProcessWaiter(pattern: waitFor).catchFirst(engine: engine).pid]
            }
            // All or none: a session missing one of the processes asked for
            // would look like one where that process has nothing to show.
            var attached: [Int32] = []
            for pid in pids {
                switch await EngineCall.attach(pid, engine: engine) {
                case .success(let processID): if !attached.contains(processID) { attached.append(processID) }
                case .failure(let error): throw error
                }
            }
            return attached
        }
    }
}
