import Engine
import Inspector
import InspectorFeed

/// Carries out what keys asked for.
extension InspectorApp {
    func execute(_ command: InspectorCommand) {
        switch command {
        case .attach(let pid):
            attachFirst(pid)
        case .addProcess(let pid):
            addToSession(pid)
        case .openPicker:
            openPicker()
        case .switchProcess(let pid):
            show(pid)
        case .detach:
            detachShown()
        case .quit:
            running = false
        case .toggleFlag(_, let address):
            toggleFlag(at: address)
        case .openPointPrompt(let pid):
            // The prompt shows first: reading every module's symbols takes a moment.
            drawNow()
            loadPointNames(pid)
        case .addHoldPoint(let pid, let location, let threadPattern):
            addPoint(pid, at: location, threadPattern: threadPattern)
        case .removeHoldPoint(let id):
            removePoint(id: id)
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
        case .followWait(let pid, let tid):
            followWait(to: pid, thread: tid)
        case .selectThread(let tid):
            showBacktrace(tid)
        case .setGrouping:
            nextRefresh = 0
        case .showFrame(let tid, let index):
            showFrame(tid, index)
        }
    }
}
