import Engine
import ProcFS
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// The events the inspector's log and status line are fed: a birth held, and
/// a signal that stopped a tracee passed on to it.
@Suite(.ownThreads, .timeLimit(.minutes(8))) struct BirthAndSignalEventTests {
    @Test func heldBirthsFollowTheirBirthAndTheStoppingSignalIsPassedOn() async throws {
        let fixture = try startFixture("fixture-threads-nofp", ["--fork-on-sigusr2", "1"])
        let engine = TraceEngine()
        try await engine.attach(fixture.pid)
        try await engine.setHoldNew(fixture.pid, true)
        kill(fixture.pid, SIGUSR2)
        let seen = await events(of: engine) { seen in
            seen.filter { if case .heldAtBirth = $0 { true } else { false } }.count == 2
        }

        let passedOn = seen.compactMap { event -> Int32? in
            if case .signalPassedOn(fixture.pid, _, let signal) = event { signal } else { nil }
        }
        #expect(passedOn.contains(SIGUSR2), "\(seen)")
        // The handler ran (the signal reached it): that is what forked.
        let child = try #require(seen.compactMap { event -> Int32? in
            if case .processForked(fixture.pid, let child) = event { child } else { nil }
        }.first, "\(seen)")
        let late = try #require(seen.compactMap { event -> Int32? in
            if case .threadCreated(fixture.pid, let tid) = event { tid } else { nil }
        }.first, "\(seen)")
        // Each birth is announced before its hold.
        let forked = try #require(seen.firstIndex(of: .processForked(parent: fixture.pid, child: child)))
        let childHeld = try #require(seen.firstIndex(of: .heldAtBirth(pid: child, tid: child)), "\(seen)")
        #expect(forked < childHeld)
        let born = try #require(seen.firstIndex(of: .threadCreated(pid: fixture.pid, tid: late)))
        let lateHeld = try #require(seen.firstIndex(of: .heldAtBirth(pid: fixture.pid, tid: late)), "\(seen)")
        #expect(born < lateHeld)
        // And what the events say is so.
        let held = await engine.heldAtBirth()
        #expect(held.contains { $0.tid == child } && held.contains { $0.tid == late })

        await engine.close()
        #expect(TaskStates.untraced(fixture.pid), "\(TaskStates.of(fixture.pid))")
        #expect(TaskStates.untraced(child), "\(TaskStates.of(child))")
    }

    @Test func withoutHoldNewABirthIsNotHeld() async throws {
        let fixture = try startFixture("fixture-threads-nofp", ["--fork-on-sigusr2", "1"])
        let engine = TraceEngine()
        try await engine.attach(fixture.pid)
        kill(fixture.pid, SIGUSR2)
        var seen = await events(of: engine) { seen in
            seen.contains { if case .threadCreated = $0 { true } else { false } }
        }
        #expect(seen.contains { if case .threadCreated = $0 { true } else { false } }, "\(seen)")
        // A hold would have been announced in the same engine job as the birth:
        // closing ends the stream after it.
        await engine.close()
        seen += await events(of: engine) { _ in false }
        #expect(!seen.contains { if case .heldAtBirth = $0 { true } else { false } }, "\(seen)")
        #expect(seen.contains { if case .signalPassedOn(_, _, SIGUSR2) = $0 { true } else { false } }, "\(seen)")
        #expect(TaskStates.untraced(fixture.pid), "\(TaskStates.of(fixture.pid))")
    }

    /// The engine's events until `done` says so, the stream ends, or
    /// `timeout` seconds pass (then what came so far, for the test to judge).
    func events(of engine: TraceEngine, timeout: Double = 20,
                until done: @escaping @Sendable ([EngineEvent]) -> Bool) async -> [EngineEvent] {
        await withTaskGroup(of: [EngineEvent]?.self) { group in
            group.addTask {
                var seen: [EngineEvent] = []
                for await event in engine.events {
                    seen.append(event)
                    if done(seen) { break }
                }
                return seen
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(timeout))
                return nil
            }
            var collected: [EngineEvent] = []
            while let result = await group.next() {
                group.cancelAll()
                if let result { collected = result }
            }
            return collected
        }
    }
}
