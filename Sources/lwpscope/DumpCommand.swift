import ArgumentParser
import Backtraces

struct DumpCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dump",
        abstract: "Print a backtrace of every thread of a process.",
        discussion: """
            Stops the threads just long enough to copy their registers and the top of their \
            stacks, lets them go, then unwinds from the copies (DWARF CFI, frame pointers where \
            there is none) and names each frame from the ELF symbol tables and debug files. \
            Caller frames show the return address, as gdb and eu-stack do.
            """)

    enum Mode: String, ExpressibleByArgument, CaseIterable {
        case allStop = "all-stop"
        case perThread = "per-thread"
    }

    @Argument(help: "The process id (a thread id stands for its process).")
    var pid: Int32

    @Flag(name: .long, help: "Print JSON instead of text.")
    var json = false

    @Option(name: .long, help: "all-stop: every thread stopped at one instant (default). per-thread: one thread at a time, the shortest stall for each, but no single instant.")
    var mode: Mode = .allStop

    @Option(name: .long, help: "Stack bytes copied per thread while stopped (frames beyond are read live).")
    var stackBytes: Int = Backtracer.defaultStackBytes

    @Option(name: .long, help: "A guard against loops: the most frames unwound per thread (gdb-like: every real frame fits).")
    var maxDepth: Int = Backtracer.defaultMaxDepth

    @Flag(name: .long, help: "Show how each frame was found (cfi, frame pointer) and why unwinding stopped.")
    var verbose = false

    @Flag(name: .long, help: "Leave out the functions' arguments (read from DWARF, as gdb prints them).")
    var noArguments = false

    @Flag(name: .long, help: "Fold threads with identical stacks into one backtrace with a count, largest group first.")
    var group = false

    @Flag(name: .long, help: "Print each frame's local variables under it, as gdb's bt full does (JSON: \"locals\").")
    var locals = false

    @Flag(name: .long, help: "Print each frame's source line under it, as gdb's frame command does (JSON: \"source\").")
    var source = false

    @OptionGroup var sourceOptions: SourceOptions

    func validate() throws {
        guard (0...(16 << 20)).contains(stackBytes) else { throw ValidationError("--stack-bytes must be 0...16777216") }
        guard (1...1_000_000).contains(maxDepth) else { throw ValidationError("--max-depth must be 1...1000000") }
    }

    func run() async throws {
        try await DumpRequest(
            pid: pid, json: json, mode: mode, stackBytes: stackBytes, maxDepth: maxDepth, verbose: verbose,
            noArguments: noArguments, group: group, locals: locals, source: source,
            sourceSearch: sourceOptions.sourceFiles(for: nil)
        ).run()
    }
}
