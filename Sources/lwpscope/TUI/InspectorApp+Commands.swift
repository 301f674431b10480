import Engine
import Inspector
import InspectorFeed

/// Carries out what keys asked for.
extension InspectorApp {
    func execute(_ command: InspectorCommand) {
        switch command {
        case .attach(let pid):
            switch blocking({ [engine] in await EngineCall.attach(pid, engine: engine) }) {
            case .success(let processID):
                enterMain(processID)
                log("attached to \(processID) \(commandLine(processID))", kind: .process)
            case .failure(let error): say(error.description, severity: .error, kind: .process)
            }
        case .switchProcess(let pid):
            show(pid)
        case .detach:
            blocking { [engine] in
                for pid in await engine.attachedProcesses() { await engine.detach(pid) }
            }
            enterPicker()
            say("detached; the process runs on", kind: .process)
        case .quit:
            running = false
        case .toggleFlag(_, let address):
            toggleFlag(at: address)
        case .releaseThreads(let tids):
            release(tids)
        case .toggleHoldNew:
            toggleHoldNew()
        case .togglePause:
            state.setPaused(!state.status.paused)
            nextRefresh = 0
        case .setInterval(let seconds):
            // The screen model has it already; only the next refresh moves.
            refresh(within: seconds)
        case .handToGDB(let pid, let thread):
            handToGDB(pid, thread: thread)
        case .attachAlso(let pid):
            attachAlso(pid)
        case .followWait:
            say("following a wait is not built yet", severity: .warning)
        case .selectThread(let tid):
            showBacktrace(tid)
        case .setGrouping:
            nextRefresh = 0
        }
    }
}
