import Engine
import ProcFS
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

@Suite(.ownThreads, .timeLimit(.minutes(8))) struct LeavingTheTargetTests {
    @Test func preStoppedProcessStaysStopped() async throws {
        let child = try startFixture("fixture-threads-nofp")
        kill(child.pid, SIGSTOP)
        #expect(waitUntil { TaskStates.of(child.pid).allSatisfy { $0.state == .stopped } })

        let engine = TraceEngine()
        try await engine.attach(child.pid)
        let snapshot = try await engine.snapshot(child.pid)
        #expect(snapshot.threads.allSatisfy { $0.registers != nil })
        #expect(snapshot.threads.allSatisfy { $0.state == .stopped })
        await engine.close()

        #expect(waitUntil { TaskStates.of(child.pid).allSatisfy { $0.state == .stopped && $0.tracerID == 0 } },
                "\(TaskStates.of(child.pid))")
        // Still stopped a moment later: nothing we did resumes it behind the user's back.
        #expect(holdsThroughout(seconds: 0.2) { TaskStates.of(child.pid).allSatisfy { $0.state == .stopped } })
        kill(child.pid, SIGCONT)
        #expect(waitUntil { isSpinning(child.pid) })
    }

    @Test func killingTheTracerMidAttachLeavesTheTargetRunning() async throws {
        let child = try startFixture("fixture-threads-nofp")
        let probe = try ChildProcess(path: BuiltProducts.path("engine-probe"), arguments: [String(child.pid)])
        try probe.waitForLine(startingWith: "stopped")
        let states = TaskStates.of(child.pid)
        #expect(states.allSatisfy { $0.state == .tracingStop && tracerProcess($0.tracerID) == probe.pid }, "\(states)")
        #expect(!isSpinning(child.pid))

        kill(probe.pid, SIGKILL)
        #expect(probe.waitForExit(timeout: 10) != nil)
        #expect(TaskStates.untraced(child.pid), "\(TaskStates.of(child.pid))")
        #expect(waitUntil { isSpinning(child.pid) })
    }

    @Test func signalsReachTheTargetWhileAttached() async throws {
        let child = try startFixture("fixture-threads-fp")
        let engine = TraceEngine()
        try await engine.attach(child.pid)
        var exits = engine.events.compactMap { event -> TerminationStatus? in
            if case .processExited(let pid, let status) = event, pid == child.pid { return status }
            return nil
        }.makeAsyncIterator()
        // Caught in signal-delivery-stop; the engine must pass it on for the process to die.
        kill(child.pid, SIGTERM)
        let status = await exits.next()
        #expect(status == .killed(signal: SIGTERM))
        #expect(await engine.attachedProcesses().isEmpty)
        await engine.close()
    }

    @Test func newThreadsAreFollowedAndReleased() async throws {
        let child = try startFixture("fixture-churn")
        let engine = TraceEngine()
        try await engine.attach(child.pid)
        var created = engine.events.compactMap { event -> Int32? in
            if case .threadCreated(let pid, let tid) = event, pid == child.pid { return tid }
            return nil
        }.makeAsyncIterator()
        let first = await created.next()
        #expect(first != nil)
        await engine.close()
        #expect(TaskStates.untraced(child.pid), "\(TaskStates.of(child.pid))")
    }

    @Test func engineThreadEndsOnClose() async throws {
        let child = try startFixture("fixture-threads-fp")
        let engine = TraceEngine()
        try await engine.attach(child.pid)
        let tid = engine.threadID
        #expect(tid != 0)
        #expect(ProcFS().comm(getpid(), thread: tid) == "lwpscope-engine")
        #expect(TaskStates.of(child.pid).allSatisfy { $0.tracerID == tid })
        await engine.close()
        #expect(waitUntil { ProcFS().stat(getpid(), thread: tid) == nil })
        #expect(TaskStates.untraced(child.pid))
    }
}


/// The fixture's spinner thread is burning CPU: its CPU time grows within a second.
func isSpinning(_ pid: Int32) -> Bool {
    guard let spinner = ProcFS().threads(pid)?.first(where: { $0.name == "spinner-1" }) else { return false }
    return usesCPU(pid, thread: spinner.id, timeout: 1)
}

/// TracerPid names the tracing thread; this gives its process.
func tracerProcess(_ tracerThread: Int32) -> Int32? {
    ProcFS().status(tracerThread)?.threadGroupID
}
