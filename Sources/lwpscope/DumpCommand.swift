import ArgumentParser
import Backtraces
import CPtrace
import Engine
import Dispatch
import FoundationEssentials

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
        // A thousand threads' frames are allocated in a burst and freed at exit.
        lwp_tune_malloc_for_bursts()
        // Threads spinning in the target would otherwise take most of the
        // CPUs from a dump that runs for a tenth of a second.
        _ = lwp_raise_own_threads_priority()
        // A group's threads share frames, not argument values: --group shows none.
        let backtracer = Backtracer(maxDepth: maxDepth, readsArguments: !noArguments && !group, readsLocals: locals && !group)
        // Modules are read (their DWARF inflated, their symbols sorted) while
        // the engine attaches and reads /proc, and finished before it stops
        // anything: that work maps and unmaps memory, and the engine must not
        // wait on the memory-map lock with threads stopped.
        let modulesReady = DispatchGroup()
        DispatchQueue.global().async(group: modulesReady) { [pid] in backtracer.prepareModules(of: pid) }
        let waitForModules = {
            await withCheckedContinuation { done in modulesReady.notify(queue: .global()) { done.resume() } }
        }
        let snapshot: ProcessSnapshot
        switch await EngineCall.oneSnapshot(
            pid, stackBytes: stackBytes, eachThread: mode == .perThread, beforeStopping: { modulesReady.wait() })
        {
        case .success(let taken):
            snapshot = taken
            await waitForModules()  // done already, unless the engine never got to stopping
        case .failure(let error):
            await waitForModules()
            throw fail(error)
        }
        // Given up: each thread's stack copy goes as soon as it is unwound.
        let backtraces = backtracer.backtraces(of: consume snapshot)
        let sources = source ? sourceOptions.sourceFiles(for: pid) : nil
        switch (json, group) {
        case (true, false): DumpJSON.write(backtraces, sources: sources)
        case (true, true): DumpJSON.writeGroups(backtraces, sources: sources)
        case (false, false): DumpText.write(backtraces, verbose: verbose, sources: sources)
        case (false, true): DumpText.writeGroups(backtraces, verbose: verbose, sources: sources)
        }
    }
}
