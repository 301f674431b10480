import Engine
import Inspector
import InspectorFeed

/// Carries out what keys asked for.
extension InspectorApp {
    func execute(_ command: InspectorCommand) {
        switch command {
        case .attach(let pid):
            switch blocking({ [engine] in await EngineCall.attach(pid, engine: engine) }) {
            case .success(let processID): enterMain(processID)
            case .failure(let error): state.showMessage(StatusMessage(error.description, severity: .error))
            }
        case .switchProcess(let pid):
            show(pid)
        case .detach:
            blocking { [engine] in
                for pid in await engine.attachedProcesses() { await engine.detach(pid) }
            }
            enterPicker()
            state.showMessage(StatusMessage("detached; the process runs on"))
        case .quit:
            running = false
        case .toggleFlag(_, let address):
            toggleFlag(at: address)
        case .releaseThreads(let tids):
            for tid in tids { release(tid) }
        case .toggleHoldNew:
            toggleHoldNew()
        case .togglePause:
            state.setPaused(!state.status.paused)
            nextRefresh = 0
        case .setInterval(let seconds):
            // The screen model has it already; only the next refresh moves.
            refresh(within: seconds)
        case .handToGDB(let pid, _):
            handToGDB(pid)
        case .attachAlso(let pid):
            state.showMessage(StatusMessage("attaching \(pid) from pane 1 is not built yet", severity: .warning))
        case .selectThread(let tid):
            showBacktrace(tid)
        case .setGrouping:
            nextRefresh = 0
        }
    }
}
