import Engine
import Inspector
import InspectorFeed

/// Moving between the picker and an attached process.
extension InspectorApp {
    /// The session is over: nothing attached is left.
    func enterPicker() {
        watched.detach()
        pendingFollow = nil
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

    /// Shows a traced process's threads: one of the session's, or a followed child.
    func show(_ pid: Int32) {
        watched.show(pid)
        state.showMain(pid: pid, command: commandLine(pid))
        nextRefresh = 0
    }

    /// Attaches to `pid` too (an untraced child in pane 1) and shows it; the
    /// processes traced already stay traced. It holds new threads and
    /// children as the others do, as a followed child would.
    func attachAlso(_ pid: Int32) {
        switch attachKeepingHoldNew(pid) {
        case .failure(let error):
            say(error.description, severity: .error, kind: .process)
        case .success(let (processID, failure)):
            let holding = state.status.holdingNew
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
}
