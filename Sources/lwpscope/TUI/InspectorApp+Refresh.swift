import Engine
import Inspector
import InspectorFeed

/// One refresh: the engine's snapshot in, the feed's rows out to the screen model.
extension InspectorApp {
    func refresh() {
        if state.screen == .picker {
            state.setProcessList(PickerRows.make(procfs.processListing()))
            return
        }
        let oneOff = refreshEvenIfPaused
        refreshEvenIfPaused = false
        guard let pid = watched.current, !state.status.paused || oneOff else { return }
        let result = blocking { [engine] in
            await EngineCall.snapshot(pid, engine: engine, stackBytes: 4096, details: .waitChannel)
        }
        switch result {
        case .failure(let error):
            say(error.description, severity: .error)
            if case .processExited = error { targetGone(pid, error.description) }
        case .success(let snapshot):
            let (heldAtBirth, traced) = blocking { [engine] in
                (Set(await engine.heldAtBirth().map(\.tid)), Set(await engine.tracedProcesses().map(\.pid)))
            }
            let update = feed.update(
                snapshot, heldAtBirth: heldAtBirth, grouping: state.isGrouping, now: Clock.now(), actions: holds)
            state.setStall(microseconds: snapshot.stoppedMicroseconds)
            state.setCommand(commandLine(pid))
            state.setProcessTree(watched.treeRows(traced: traced, heldAtBirth: heldAtBirth, now: Clock.now()) {
                procfs.processListing()
            })
            state.setHoldFlags(update.flags)
            if let command = state.setThreads(update.threads) { execute(command) }
            if let selected = state.selectedThreadID { showBacktrace(selected) }
        }
    }

    func showBacktrace(_ tid: Int32) {
        if let backtrace = feed.backtrace(of: tid) { state.setBacktrace(backtrace) }
    }
}
