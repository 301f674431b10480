import Engine
import InspectorFeed
import Terminal
#if canImport(Glibc)
import Glibc
#endif

/// Starts the full-screen inspector: an engine set up for a session (the
/// guardian, holds at exec and at fatal signals), the processes `attach`
/// gives (none: the picker), the rules applied to each, then the screen on
/// a thread of its own until the user quits.
enum InspectorLaunch {
    static func run(rules: SessionRules = SessionRules(), sources: SourceFiles = SourceFiles(),
                    attach: @escaping @Sendable (TraceEngine) async throws(EngineError) -> [Int32]) async throws {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw fail("the inspector needs a terminal; in scripts use `lwpscope ps`, `threads`, `dump`, `hold` or `run --events`")
        }
        let engine = TraceEngine()
        await engine.setGuardianLauncher(GuardianLaunch.ourselves)
        await engine.setHoldExecsWithPoints(true)
        await engine.setHoldFatalSignals(true)
        let shutdown = ShutdownOnSignals {
            CursesTerminal.emergencyRestore()
            await engine.close()
        }
        defer { shutdown.disarm() }
        let attached: [Int32]
        do {
            attached = try await attach(engine)
            if rules.births || !rules.execs.isEmpty {
                for pid in attached { try await engine.setRules(pid, births: rules.births, execs: rules.execs) }
            }
        } catch {
            await engine.close()
            throw fail(error)
        }
        guard let terminal = CursesTerminal() else {
            await engine.close()
            throw fail("cannot start the terminal (is TERM set?)")
        }
        let app = InspectorApp(engine: engine, terminal: terminal, sources: sources)
        if rules.births { app.state.setHoldingNew(true) }
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            DedicatedThread.start(name: "lwpscope-ui") {
                app.run(attachedTo: attached)
                done.resume()
            }
        }
    }
}
