import Engine
import ProcFS
import Testing
import TestSupport

/// One engine, several unrelated processes: the session the inspector keeps
/// when the user follows a wait into another process.
@Suite(.ownThreads, .timeLimit(.minutes(8))) struct SeveralProcessesTests {
    @Test func threeUnrelatedProcessesAreTracedSnapshottedAndLetGoApart() async throws {
        let children = try ["fixture-threads-fp", "fixture-threads-nofp", "fixture-threads-fp"].map { try startFixture($0) }
        let engine = TraceEngine()
        for child in children { try await engine.attach(child.pid) }
        #expect(await engine.attachedProcesses() == children.map(\.pid).sorted())

        for child in children {
            let snapshot = try await engine.snapshot(child.pid)
            #expect(snapshot.pid == child.pid)
            #expect(snapshot.threads.contains { $0.tid == child.pid && $0.registers != nil })
            // Only this process's threads: none of another's.
            let own = Set(ProcFS().threadIDs(child.pid) ?? [])
            #expect(snapshot.threads.allSatisfy { own.contains($0.tid) || $0.registers == nil })
        }

        // Letting one go leaves the others traced and running.
        await engine.detach(children[0].pid)
        #expect(waitUntil { TaskStates.untraced(children[0].pid) }, "\(TaskStates.of(children[0].pid))")
        #expect(await engine.attachedProcesses() == children.dropFirst().map(\.pid).sorted())
        for child in children.dropFirst() {
            #expect(TaskStates.of(child.pid).allSatisfy { $0.tracerID == engine.threadID })
            _ = try await engine.snapshot(child.pid)
        }

        await engine.close()
        for child in children {
            #expect(TaskStates.untraced(child.pid), "\(TaskStates.of(child.pid))")
            #expect(TaskStates.of(child.pid).allSatisfy { $0.state != .tracingStop && $0.state != .stopped })
        }
    }
}
