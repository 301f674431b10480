import Backtraces
import Engine
import InspectorFeed
import ProcFS
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Backtraces of the C fixture, with and without frame pointers: every
/// thread's chain of functions, from the frame it is parked in out to clone3.
@Suite(.ownThreads, .timeLimit(.minutes(8))) struct FixtureBacktraceTests {
    static let threadChains: [String: [String]] = [
        "spinner-1": ["spin_on_hold", "thread_main", "start_thread", "clone3"],
        "sleeper": ["clock_nanosleep", "nanosleep", "sleep_in_nanosleep", "thread_main", "start_thread", "clone3"],
        "condwait": ["pthread_cond_wait", "wait_on_condvar", "thread_main", "start_thread", "clone3"],
        "reader": ["read", "block_in_read", "thread_main", "start_thread", "clone3"],
        "worker-1": ["clock_nanosleep", "nanosleep", "worker_inner", "worker_middle", "worker_outer", "thread_main", "start_thread", "clone3"],
    ]

    @Test(arguments: ["fixture-threads-fp", "fixture-threads-nofp"])
    func everyThreadsChainOfFunctions(fixture: String) async throws {
        let child = try ChildProcess(path: BuiltProducts.path(fixture))
        try child.waitForLine(startingWith: "ready")
        let backtraces = try await takeBacktraces(child.pid)
        for (name, chain) in Self.threadChains {
            let thread = try #require(backtraces.threads.first { $0.name == name })
            let functions = thread.frames.compactMap(\.function).map(normalized)
            #expect(isSubsequence(chain, of: functions), "\(name): \(functions)")
            #expect(thread.stopReason == "outermost frame", "\(name): \(thread.stopReason)")
        }
        // The main thread reaches main and _start (it may still be flushing "ready").
        let main = try #require(backtraces.threads.first { $0.tid == child.pid })
        // With glibc's DWARF, its entry is named as gdb names it (`__libc_start_main_impl`).
        let mainFunctions = main.frames.compactMap(\.function).map { $0 == "__libc_start_main_impl" ? "__libc_start_main" : $0 }
        #expect(isSubsequence(["main", "__libc_start_main", "_start"], of: mainFunctions), "\(mainFunctions)")
        // Caller frames are return addresses: never the first byte of a function.
        for thread in backtraces.threads {
            for frame in thread.frames.dropFirst() where frame.function != nil {
                #expect(frame.offset > 0, "\(thread.name) #\(frame.index)")
            }
        }
        #expect(TaskStates.untraced(child.pid))
    }

    @Test func perThreadModeGivesTheSameChains() async throws {
        let child = try ChildProcess(path: BuiltProducts.path("fixture-threads-nofp"))
        try child.waitForLine(startingWith: "ready")
        let engine = TraceEngine()
        try await engine.attach(child.pid)
        let snapshot = try await engine.snapshotEachThread(child.pid, stackBytes: Backtracer.defaultStackBytes)
        await engine.close()
        let backtraces = Backtracer().backtraces(of: snapshot)
        #expect(backtraces.threads.count == 12)
        let worker = try #require(backtraces.threads.first { $0.name == "worker-3" })
        #expect(isSubsequence(["worker_inner", "worker_middle", "worker_outer", "thread_main"], of: worker.frames.compactMap(\.function)))
        #expect(TaskStates.untraced(child.pid))
    }

    @Test func unwindsBeyondTheStackCopyWithLiveReads() async throws {
        let child = try ChildProcess(path: BuiltProducts.path("fixture-threads-nofp"))
        try child.waitForLine(startingWith: "ready")
        // 64 bytes cannot hold the caller frames: the unwinder must read the rest live.
        let backtraces = try await takeBacktraces(child.pid, stackBytes: 64)
        let worker = try #require(backtraces.threads.first { $0.name == "worker-1" })
        #expect(isSubsequence(["worker_inner", "worker_outer", "start_thread"], of: worker.frames.compactMap(\.function)))
    }
}

func takeBacktraces(_ pid: Int32, stackBytes: Int = Backtracer.defaultStackBytes) async throws -> ProcessBacktraces {
    let engine = TraceEngine()
    try await engine.attach(pid)
    let snapshot = try await engine.snapshot(pid, stackBytes: stackBytes)
    await engine.close()
    return Backtracer().backtraces(of: snapshot)
}

/// glibc exports several names for one function; tests speak of the plain one.
func normalized(_ name: String) -> String {
    var plain = Substring(name)
    if plain.hasPrefix("__GI_") { plain = plain.dropFirst(5) }
    while plain.hasPrefix("_") { plain = plain.dropFirst() }
    if plain.hasPrefix("libc_") { plain = plain.dropFirst(5) }
    if plain.hasPrefix("pthread_cond_wait") { return "pthread_cond_wait" }
    return String(plain)
}

func isSubsequence(_ wanted: [String], of list: [String]) -> Bool {
    var remaining = wanted[...]
    for item in list where item == remaining.first { remaining.removeFirst() }
    return remaining.isEmpty
}

@Suite(.ownThreads, .timeLimit(.minutes(8))) struct SignalFrameTests {
    @Test(arguments: ["fixture-threads-fp", "fixture-threads-nofp"])
    func unwindsThroughASignalHandler(fixture: String) async throws {
        let child = try ChildProcess(path: BuiltProducts.path(fixture), arguments: ["--in-handler", "1"])
        try child.waitForLine(startingWith: "ready")
        let backtraces = try await takeBacktraces(child.pid)
        let thread = try #require(backtraces.threads.first { $0.name == "in-handler" })
        let functions = thread.frames.compactMap(\.function)
        #expect(isSubsequence(
            ["sleep_in_signal_handler", "__restore_rt", "interrupted_by_signal", "thread_main", "start_thread", "clone3"],
            of: functions), "\(functions)")
        // Shown as gdb shows it, between the handler and the interrupted frame.
        let marked = thread.frames.filter(\.isSignalTrampoline)
        #expect(marked.map(\.function) == ["__restore_rt"], "\(thread.frames.map { ($0.function, $0.isSignalTrampoline) })")
        let lines = thread.frames.map { $0.text.text(indexColumns: 4, pcDigits: 16, paths: .full) }
        let at = try #require(lines.firstIndex { $0.hasSuffix("<signal handler called>") }, "\(lines)")
        #expect(at > 0 && lines[at - 1].contains("sleep_in_signal_handler")
                    && lines[(at + 1)...].contains { $0.contains("interrupted_by_signal") },
                "\(lines)")
        #expect(TaskStates.untraced(child.pid))
    }
}
