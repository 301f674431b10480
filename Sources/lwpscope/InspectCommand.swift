import ArgumentParser
import Engine
import Terminal
#if canImport(Glibc)
import Glibc
#endif

/// `lwpscope [PID...]`: the full-screen inspector. Without a pid it starts
/// with the attach picker; with several, they are one session, the first shown.
struct InspectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "The full-screen inspector (the default): `lwpscope` picks a process, `lwpscope PID...` attaches.")

    @Argument(help: "The processes to attach to, the first one shown; without any, pick one from the list.")
    var pids: [Int32] = []

    func run() async throws {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw fail("the inspector needs a terminal; in scripts use `lwpscope ps`, `threads`, `dump` or `hold`")
        }
        let engine = TraceEngine()
        await engine.setGuardianLauncher(GuardianLaunch.ourselves)
        await engine.setHoldExecsWithPoints(true)
        let shutdown = ShutdownOnSignals {
            CursesTerminal.emergencyRestore()
            await engine.close()
        }
        defer { shutdown.disarm() }
        // All or none: a session missing one of the processes asked for
        // would look like one where that process has nothing to show.
        var attached: [Int32] = []
        for pid in pids {
            switch await EngineCall.attach(pid, engine: engine) {
            case .success(let processID): if !attached.contains(processID) { attached.append(processID) }
            case .failure(let error):
                await engine.close()
                throw fail(error)
            }
        }
        guard let terminal = CursesTerminal() else {
            await engine.close()
            throw fail("cannot start the terminal (is TERM set?)")
        }
        let app = InspectorApp(engine: engine, terminal: terminal)
        let start = attached
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            DedicatedThread.start(name: "lwpscope-ui") {
                app.run(attachedTo: start)
                done.resume()
            }
        }
    }
}
