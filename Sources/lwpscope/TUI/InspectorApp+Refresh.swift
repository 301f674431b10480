import Engine
import Inspector
import InspectorFeed

/// One refresh: the engine's snapshot in, the feed's rows out to the screen model.
extension InspectorApp {
    func refresh() {
        if state.screen == .picker {
            state.setProcessList(pickerFeed.rows(procfs.processListing(), now: Clock.now()))
            return
        }
        let oneOff = refreshEvenIfPaused
        refreshEvenIfPaused = false
        guard let pid = watched.current, !state.status.paused || oneOff else { return }
        let result = blocking { [engine] in
            await EngineCall.snapshot(pid, engine: engine, stackBytes: 4096, details: [.waitChannel, .syscall])
        }
        switch result {
        case .failure(let error):
            say(error.description, severity: .error)
            if case .processExited = error { targetGone(pid, error.description) }
        case .success(let snapshot):
            retryPendingPoints()
            let (tasks, traced) = blocking { [engine] in
                (await engine.heldTasks(), Set(await engine.tracedProcesses().map(\.pid)))
            }
            // Held by the engine (at birth, an exec, the start, a signal): `r` lets them go.
            let held = tasks.filter { if case .point = $0.reason { false } else { true } }.map { (tid: $0.tid, pid: $0.pid) }
            let heldAtBirth = Set(held.map(\.tid))
            let points = pointsShown(in: pid)
            let update = feed.update(
                snapshot, heldAtBirth: heldAtBirth, heldAtPoints: points.heldAtPoints,
                heldNotes: HeldNotes.byThread(tasks, now: Engine.MonotonicClock.seconds()), grouping: state.isGrouping, now: Clock.now(), actions: holds,
                waits: waitAnalyzer)
            state.setStall(microseconds: snapshot.stoppedMicroseconds)
            state.setCommand(commandLine(pid))
            let heldThreads = HeldThreadCounts.perProcess(
                heldAtBirth: held, parked: points.parked, heldOnFlags: feed.survey?.heldBy.keys.map { $0 } ?? [], of: pid)
            state.setProcessTree(watched.treeRows(
                traced: traced, heldAtBirth: heldAtBirth, heldThreads: heldThreads, now: Clock.now(), procfs: procfs
            ) { procfs.processListing() })
            state.setHoldFlags(update.flags + points.rows)
            if let command = state.setThreads(update.threads) { execute(command) }
            landAfterRefresh(of: pid)
            if let selected = state.selectedThreadID { showBacktrace(selected) }
        }
    }

    func showBacktrace(_ tid: Int32) {
        if let backtrace = feed.backtrace(of: tid) { state.setBacktrace(backtrace) }
    }
}
