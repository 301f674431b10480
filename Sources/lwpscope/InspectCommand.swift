import ArgumentParser
import Engine
import Terminal
#if canImport(Glibc)
import Glibc
#endif

/// `lwpscope [PID]`: the full-screen inspector. Without a pid it starts with
/// the attach picker.
struct InspectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "The full-screen inspector (the default): `lwpscope` picks a process, `lwpscope PID` attaches.")

    @Argument(help: "The process to attach to; without it, pick one from the list.")
    var pid: Int32?

    func run() async throws {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw fail("the inspector needs a terminal; in scripts use `lwpscope ps`, `threads`, `dump` or `hold`")
        }
        let engine = TraceEngine()
        let shutdown = ShutdownOnSignals {
            CursesTerminal.emergencyRestore()
            await engine.close()
        }
        defer { shutdown.disarm() }
        var attached: Int32?
        if let pid {
            switch await EngineCall.attach(pid, engine: engine) {
            case .success(let processID): attached = processID
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
