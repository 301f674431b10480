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

/// Issue 17: when we are root or hold CAP_SYS_PTRACE, an EPERM never says
/// "run as root"; it names what it can be.
@Suite struct PrivilegedPermissionTests {
    func facts(scope: Int? = 1, capability: Bool = true, root: Bool = true, otherNamespace: Bool? = false,
               childNamespace: Bool = false, modules: [String] = ["capability", "yama"]) -> PermissionFacts {
        PermissionFacts(ptraceScope: scope, hasCapability: capability, isRoot: root, otherUserNamespace: otherNamespace,
                        inChildUserNamespace: childNamespace, securityModules: modules)
    }

    @Test func yamaScopeThreeIsNamed() {
        #expect(facts(scope: 3).causes.first?.contains("ptrace_scope is 3") == true)
    }

    @Test func aTargetOutsideOurUserNamespaceIsNamed() {
        let causes = facts(otherNamespace: true, childNamespace: true).causes
        #expect(causes.contains { $0.contains("outside our user namespace") }, "\(causes)")
        #expect(!facts(otherNamespace: true, childNamespace: false).causes.contains { $0.contains("user namespace") })
        // Unreadable from inside our namespace: not ours either.
        #expect(facts(otherNamespace: nil, childNamespace: true).causes.contains { $0.contains("outside our user namespace") })
        #expect(!facts(otherNamespace: false, childNamespace: true).causes.contains { $0.contains("user namespace") })
    }

    @Test func rootWithoutTheCapabilityIsNamed() {
        let f = facts(capability: false)
        #expect(!f.privilegeWouldHelp)
        #expect(f.causes.contains { $0.contains("without CAP_SYS_PTRACE") })
    }

    @Test func aSecurityModuleIsNamedAndYamaIsNot() {
        #expect(facts(modules: ["lockdown", "capability", "yama", "apparmor"]).causes == [
            "a security module (apparmor) may deny it: its log (dmesg, audit.log) says",
        ])
    }

    @Test func nothingSeenStillSaysSomething() {
        #expect(facts().causes.count == 1)
        #expect(facts().causes[0].contains("cannot see"))
    }

    @Test func thePrivilegedMessageNeverSaysRunAsRoot() {
        let error = EngineError.permissionDeniedWhilePrivileged(pid: 42, command: "daemon", causes: facts(scope: 3).causes)
        #expect(!error.description.contains("run as root"))
        #expect(error.description.contains("pid 42 (daemon)"))
        #expect(facts(capability: false, root: false).privilegeWouldHelp)
    }
}
