import Engine
import ProcFS
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

@Suite(.ownThreads, .timeLimit(.minutes(8))) struct AttachErrorTests {
    @Test func noSuchProcess() async {
        let engine = TraceEngine()
        await #expect(throws: EngineError.noSuchProcess(pid: 999_999)) { try await engine.attach(999_999) }
        await engine.close()
    }

    @Test func ourOwnProcess() async {
        let engine = TraceEngine()
        await #expect(throws: EngineError.ownProcess(pid: getpid())) { try await engine.attach(getpid()) }
        await engine.close()
    }

    @Test func kernelThread() async throws {
        let engine = TraceEngine()
        let error = await #expect(throws: EngineError.self) { try await engine.attach(2) }
        guard case .kernelThread(2, _)? = error else {
            Issue.record("expected a kernel-thread error, got \(String(describing: error))")
            return
        }
        #expect(error!.description.contains("kernel thread"))
        await engine.close()
    }

    @Test func zombie() async throws {
        // A child that exits and is not reaped yet stays a zombie.
        let child = try ChildProcess(path: "/bin/true")
        #expect(waitUntil { ProcFS().stat(child.pid)?.state == .zombie })
        let engine = TraceEngine()
        let error = await #expect(throws: EngineError.self) { try await engine.attach(child.pid) }
        guard case .zombie(child.pid, _)? = error else {
            Issue.record("expected a zombie error, got \(String(describing: error))")
            return
        }
        await engine.close()
    }

    @Test func alreadyTracedNamesTheTracer() async throws {
        let child = try startFixture("fixture-threads-nofp")
        let probe = try ChildProcess(path: BuiltProducts.path("engine-probe"), arguments: [String(child.pid)])
        try probe.waitForLine(startingWith: "stopped")
        let engine = TraceEngine()
        let error = await #expect(throws: EngineError.self) { try await engine.attach(child.pid) }
        await engine.close()
        guard case .alreadyTraced(child.pid, _, probe.pid, let tracerCommand)? = error else {
            Issue.record("expected an already-traced error, got \(String(describing: error))")
            return
        }
        #expect(tracerCommand == "engine-probe")
        #expect(error!.description.contains("\(probe.pid) (engine-probe)"))
        probe.terminate()
        #expect(TaskStates.untraced(child.pid))
    }

    @Test func threadIDStandsForItsProcess() async throws {
        let child = try startFixture("fixture-threads-fp")
        let tid = try #require(ProcFS().threadIDs(child.pid)?.last)
        #expect(tid != child.pid)
        let engine = TraceEngine()
        let pid = try await engine.attach(tid)
        #expect(pid == child.pid)
        await engine.close()
        #expect(TaskStates.untraced(child.pid))
    }

    @Test func permissionDeniedNamesPtraceScopeAndCapability() {
        let error = EngineError.permissionDenied(pid: 42, command: "daemon", ptraceScope: 1)
        #expect(error.description.contains("/proc/sys/kernel/yama/ptrace_scope"))
        #expect(error.description.contains("CAP_SYS_PTRACE"))
        #expect(error.description.contains("pid 42 (daemon)"))
    }
}
