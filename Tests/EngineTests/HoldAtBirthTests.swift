import Engine
import ProcFS
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

@Suite(.ownThreads, .timeLimit(.minutes(8))) struct HoldAtBirthTests {
    @Test func childAndThreadBornAfterAttachAreHeldUntilReleased() async throws {
        let fixture = try startFixture("fixture-threads-nofp", ["--fork-on-sigusr2", "1"])
        let engine = TraceEngine()
        try await engine.attach(fixture.pid)
        try await engine.setHoldNew(fixture.pid, true)
        var births = engine.events.compactMap { event -> EngineEvent? in
            switch event {
            case .processForked(fixture.pid, _), .threadCreated(fixture.pid, _): return event
            default: return nil
            }
        }.makeAsyncIterator()

        kill(fixture.pid, SIGUSR2)
        var child: Int32 = 0
        var lateThread: Int32 = 0
        while child == 0 || lateThread == 0, let event = await births.next() {
            switch event {
            case .processForked(_, let pid): child = pid
            case .threadCreated(_, let tid): lateThread = tid
            default: break
            }
        }
        let held = await engine.heldAtBirth()
        #expect(held.contains { $0.tid == child && $0.pid == child })
        #expect(held.contains { $0.tid == lateThread && $0.pid == fixture.pid })
        #expect(await engine.tracedProcesses().contains { $0.pid == child && $0.parent == fixture.pid })
        // Held: stopped under trace, and the child has not run its first line.
        #expect(waitUntil { ProcFS().stat(child)?.state == .tracingStop })
        #expect(waitUntil { ProcFS().stat(fixture.pid, thread: lateThread)?.state == .tracingStop })
        #expect(throws: TestFailure.self) { try fixture.waitForLine(startingWith: "child ", timeout: 0.3) }

        // A snapshot leaves them held.
        _ = try await engine.snapshot(fixture.pid)
        #expect(ProcFS().stat(fixture.pid, thread: lateThread)?.state == .tracingStop)

        #expect(await engine.releaseHeld(child))
        #expect(await engine.releaseHeld(lateThread))
        #expect(await engine.heldAtBirth().isEmpty)
        let line = try fixture.waitForLine(startingWith: "child ")
        #expect(line == "child \(child) running")
        #expect(waitUntil { ProcFS().thread(fixture.pid, lateThread)?.name == "late-1" && ProcFS().stat(fixture.pid, thread: lateThread)?.state == .sleeping })

        await engine.close()
        #expect(TaskStates.untraced(fixture.pid), "\(TaskStates.of(fixture.pid))")
        #expect(TaskStates.untraced(child), "\(TaskStates.of(child))")
    }

    @Test func closingReleasesWhatIsStillHeld() async throws {
        let fixture = try startFixture("fixture-threads-nofp", ["--fork-on-sigusr2", "1"])
        let engine = TraceEngine()
        try await engine.attach(fixture.pid)
        try await engine.setHoldNew(fixture.pid, true)
        kill(fixture.pid, SIGUSR2)
        #expect(await waitUntilAsync { await engine.heldAtBirth().count == 2 })
        let held = await engine.heldAtBirth()
        await engine.close()
        for task in held {
            #expect(TaskStates.untraced(task.pid), "\(TaskStates.of(task.pid))")
        }
        // The child runs once we are gone.
        _ = try fixture.waitForLine(startingWith: "child ")
    }
}

/// Polls an async condition for up to five seconds.
func waitUntilAsync(_ condition: () async -> Bool) async -> Bool {
    for _ in 0..<500 {
        if await condition() { return true }
        usleepMillis(10)
    }
    return false
}
