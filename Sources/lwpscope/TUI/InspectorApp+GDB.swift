import Engine
import Inspector
import InspectorFeed

/// `g`: hand the process to gdb on the selected thread, and take it back
/// with every setting as it was.
extension InspectorApp {
    /// Leaves the screen, detaches, runs gdb on the process (argv, no shell)
    /// with `thread` selected, and attaches again when gdb exits. Pause,
    /// interval, grouping and the selection live in the screen model and
    /// stay; hold-new lives in the engine's attach, and hold points in the
    /// code, which the detach restores: both are set again.
    func handToGDB(_ pid: Int32, thread: Int32?) {
        // Nothing to hand over to: stay attached.
        guard GDBHandOff.executable != nil else { return say(GDBHandOff.notInstalled, severity: .error) }
        let holding = state.status.holdingNew
        let number = thread.flatMap { GDBHandOff.threadNumber(of: $0, among: procfs.threadIDs(pid) ?? []) }
        log("handed pid \(pid) to gdb" + (thread.map { " on thread \($0)" } ?? ""), kind: .process)
        // The detach takes the trap bytes out and lets parked threads go
        // (each at the instruction it was parked before): gdb must find the
        // program's own code. They park again once the points are back.
        let points = forgetPoints(of: pid)
        let faulting = blocking { [engine] in await engine.dropHeldSignals(pid) }
        if !faulting.isEmpty {
            log("threads \(faulting.map(String.init).joined(separator: " ")) held at a fatal signal go to gdb stopped, "
                + "without it: it comes again as gdb lets them run", kind: .signal)
        }
        if !points.isEmpty { log("hold points of \(pid) taken out for gdb; parked threads run on", kind: .hold) }
        blocking { [engine] in await engine.detach(pid) }
        terminal.stop()
        let status = GDBHandOff.run(pid: pid, thread: thread, threadNumber: number)
        terminal.resume()
        switch blocking({ [engine] in await EngineCall.attach(pid, engine: engine) }) {
        case .success(let processID):
            state.showMain(pid: processID, command: commandLine(processID))
            // The threads ran under gdb: stacks cached before are stale.
            state.clearBacktraces()
            refreshWhatChanged()
            let status = restorePoints(points, in: processID).map { "\(status), \($0)" } ?? status
            guard holding else {
                say(status, kind: .process)
                return
            }
            if let failure = setHoldNew(processID, true) {
                state.setHoldingNew(false)
                say("\(status), but new threads and children are no longer held: \(failure)", severity: .warning,
                    kind: .process)
            } else {
                say("\(status), holding new threads and children again", kind: .process)
            }
        case .failure(let error):
            // Lost: the session goes on with the others, still traced.
            if let next = watched.remove(pid) {
                show(next)
            } else {
                enterPicker()
            }
            say("\(status); \(error)", severity: .warning, kind: .process)
        }
    }
}
