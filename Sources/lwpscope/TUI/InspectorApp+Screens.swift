import Engine
import Inspector
import InspectorFeed

/// Moving between the picker and an attached process.
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

    /// Attaches to `pid` too (an untraced child in pane 1) and shows it; the
    /// processes traced already stay traced. It holds new threads and
    /// children as the shown process does, as a followed child would.
    func attachAlso(_ pid: Int32) {
        switch blocking({ [engine] in await EngineCall.attach(pid, engine: engine) }) {
        case .failure(let error):
            say(error.description, severity: .error, kind: .process)
        case .success(let processID):
            let holding = state.status.holdingNew
            let failure = holding ? setHoldNew(processID, true) : nil
            show(processID)
            let command = commandLine(processID)
            if let failure {
                say("attached to \(processID) \(command) as well, but it does not hold new threads: \(failure)",
                    severity: .warning, kind: .process)
            } else {
                say("attached to \(processID) \(command) as well" + (holding ? ", holding new threads and children" : ""),
                    kind: .process)
            }
        }
    }

    func commandLine(_ pid: Int32) -> String {
        procfs.commandLine(pid).map { $0.joined(separator: " ") } ?? ""
    }

    /// The target is gone: back to the picker, saying how it ended.
    func targetGone(_ pid: Int32, _ text: String) {
        blocking { [engine] in await engine.detach(pid) }
        enterPicker()
        say(text, severity: .warning, kind: .process)
    }
}
