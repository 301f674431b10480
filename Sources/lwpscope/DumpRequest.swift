import Backtraces
import CPtrace
import Dispatch
import Engine
import InspectorFeed

/// One `dump`, however it was asked for: `DumpCommand` fills it from
/// ArgumentParser, `DumpShortcut` from the short forms scripts run in loops.
struct DumpRequest {
    var pid: Int32
    var json = false
    var mode = DumpCommand.Mode.allStop
    var stackBytes = Backtracer.defaultStackBytes
    var maxDepth = Backtracer.defaultMaxDepth
    var verbose = false
    var noArguments = false
    var group = false
    var locals = false
    var source = false
    /// Where source files are looked for, before the process's root is known.
    var sourceSearch = SourceFiles()

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
        let sources = source ? sourceSearch.forProcess(pid) : nil
        switch (json, group) {
        case (true, false): DumpJSON.write(backtraces, sources: sources)
        case (true, true): DumpJSON.writeGroups(backtraces, sources: sources)
        case (false, false): DumpText.write(backtraces, verbose: verbose, sources: sources)
        case (false, true): DumpText.writeGroups(backtraces, verbose: verbose, sources: sources)
        }
    }
}
