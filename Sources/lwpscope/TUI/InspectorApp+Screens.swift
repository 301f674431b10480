import Engine
import Inspector
import InspectorFeed

/// Moving between the picker and an attached process, and what the engine's
/// events change.
extension InspectorApp {
    func enterPicker() {
        watched.detach()
        feed = ThreadFeed()
        state.showPicker()
        nextRefresh = 0
    }

    func enterMain(_ pid: Int32) {
        watched.attach(pid)
        state.showMain(pid: pid, command: commandLine(pid))
        // Hold-new is set per attach; a new one starts without it.
        state.setHoldingNew(false)
        state.clearBacktraces()
        nextRefresh = 0
    }

    /// Shows a traced child's threads (or the attached process's again).
    func show(_ pid: Int32) {
        watched.show(pid)
        state.showMain(pid: pid, command: commandLine(pid))
        nextRefresh = 0
    }

    func commandLine(_ pid: Int32) -> String {
        procfs.commandLine(pid).map { $0.joined(separator: " ") } ?? ""
    }

    func handleEngineEvents() {
        for event in inbox.drain() {
            switch watched.react(to: event) {
            case .none: break
            case .refreshSoon: refresh(within: 0.1)
            case .refreshNow:
                if let pid = watched.current { show(pid) }
            case .targetGone(let pid, let message): targetGone(pid, message)
            }
        }
    }

    /// The target is gone: back to the picker, saying how it ended.
    func targetGone(_ pid: Int32, _ text: String) {
        blocking { [engine] in await engine.detach(pid) }
        enterPicker()
        state.showMessage(StatusMessage(text, severity: .warning))
    }

    /// Leaves the screen, detaches, runs gdb on the process (argv, no shell),
    /// and comes back attached when gdb exits.
    func handToGDB(_ pid: Int32) {
        blocking { [engine] in await engine.detach(pid) }
        terminal.stop()
        let status = GDBHandOff.run(pid: pid)
        terminal.resume()
        switch blocking({ [engine] in await EngineCall.attach(pid, engine: engine) }) {
        case .success(let processID):
            enterMain(processID)
            state.showMessage(StatusMessage(status))
        case .failure(let error):
            enterPicker()
            state.showMessage(StatusMessage("\(status); \(error)", severity: .warning))
        }
    }
}
