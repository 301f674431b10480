import Engine
import ProcFS
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Every stop ends as it should, on a real target: when the code run inside
/// it throws, and when a thread is stepped out of a stop the user made.
@Suite(.ownThreads, .timeLimit(.minutes(8))) struct StopGuardTests {
    struct Refusal: Error {}

    @Test func aStopEndsEvenWhenTheCodeInsideItThrows() async throws {
        let child = try startFixture("fixture-threads-fp")
        let engine = TraceEngine()
        try await engine.attach(child.pid)
        let pid = child.pid
        let everyThreadStopped = try await engine.withAllThreadsStopped(pid) { stopped in
            stopped.unstoppable.isEmpty && TaskStates.of(pid).allSatisfy { $0.state == .tracingStop }
        }
        #expect(everyThreadStopped)
        await #expect(throws: Refusal.self) {
            try await engine.withAllThreadsStopped(pid) { _ in throw Refusal() }
        }
        // Resumed under trace: running again, and still ours.
        #expect(waitUntil { isSpinning(child.pid) })
        #expect(TaskStates.of(child.pid).allSatisfy { $0.state != .tracingStop && $0.tracerID == engine.threadID })
        await engine.close()
        #expect(TaskStates.untraced(child.pid), "\(TaskStates.of(child.pid))")
    }

    @Test func releasingAThreadOfAStoppedProcessLeavesTheProcessStopped() async throws {
        let child = try startFixture("fixture-threads-nofp", ["--spinners", "2"])
        let pid = child.pid
        let procfs = ProcFS()
        let spinner = try #require(procfs.threads(pid)?.first { $0.name == "spinner-1" }?.id)
        let otherSpinner = try #require(procfs.threads(pid)?.first { $0.name == "spinner-2" }?.id)
        let flag = try holdFlagAddress(pid)
        kill(pid, SIGSTOP)
        #expect(waitUntil { TaskStates.of(pid).allSatisfy { $0.state == .stopped } })

        let engine = TraceEngine()
        try await engine.attach(pid)
        // Stepped out of its group-stop and out of the loop, the thread must
        // go back into the stop the user made, with all the others.
        let release = try await engine.releaseThread(pid: pid, tid: spinner, flagAddress: flag, flagSize: 4)
        #expect(release.steps > 0 && release.flagValueAfter == 1)
        // It traps back into the stop a moment after the release returns.
        #expect(waitUntil { procfs.stat(pid, thread: spinner)?.state == .tracingStop })
        let snapshot = try await engine.snapshot(pid)
        #expect(snapshot.threads.allSatisfy { $0.state == .stopped && $0.registers != nil },
                "\(snapshot.threads.map { "\($0.tid):\($0.state)" })")
        await engine.close()

        #expect(waitUntil { TaskStates.of(pid).allSatisfy { $0.state == .stopped && $0.tracerID == 0 } },
                "\(TaskStates.of(pid))")
        kill(pid, SIGCONT)
        // Out of the loop (it sleeps), while the other spinner still spins.
        #expect(waitUntil { procfs.thread(pid, spinner)?.state == .sleeping })
        #expect(waitUntil { procfs.thread(pid, otherSpinner)?.state == .running })
    }

    /// The runtime address of the fixture's file-scope `hold`: its link-time
    /// address (nm) plus where the executable is loaded.
    func holdFlagAddress(_ pid: Int32) throws -> UInt64 {
        let procfs = ProcFS()
        let exe = try #require(procfs.executablePath(pid))
        let symbols = try runTool("nm", [exe])
        let line = try #require(symbols.split(separator: "\n").first { $0.hasSuffix(" D hold") })
        let linkAddress = try #require(UInt64(line.split(separator: " ")[0], radix: 16))
        let base = try #require(procfs.memoryMap(pid)?.first { $0.path == exe && $0.fileOffset == 0 }?.start)
        return base + linkAddress
    }
}
