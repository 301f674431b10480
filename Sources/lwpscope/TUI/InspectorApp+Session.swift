import Engine
import Inspector
import InspectorFeed

/// Several processes in one session: adding one from the picker (`a`),
/// detaching the shown one (`d`), and going on when one of them ends.
extension InspectorApp {
    /// `a` on the main screen: the picker, with every process still attached.
    func openPicker() {
        state.showPicker(addingToSession: true)
        nextRefresh = 0
    }

    /// `a` in the picker: attach `pid` as well, back to the main screen with
    /// the process shown before still shown. With no session yet, as Enter.
    func addToSession(_ pid: Int32) {
        guard let shown = watched.current else { return attachFirst(pid) }
        switch attachKeepingHoldNew(pid) {
        case .failure(let error):
            say(error.description, severity: .error, kind: .process)
        case .success(let (processID, failure)):
            state.showMain(pid: shown, command: commandLine(shown))
            let added = "added \(processID) \(commandLine(processID)) to the session; still showing \(shown)"
            if let failure {
                say("\(added), but \(processID) does not hold new threads: \(failure)", severity: .warning, kind: .process)
            } else {
                say(added, kind: .process)
            }
            refreshWhatChanged()
        }
    }

    /// Attaches the session's first process (or, from a picker opened to
    /// add one, another one) and shows it.
    func attachFirst(_ pid: Int32) {
        if state.pickerAddsToSession, watched.current != nil { return attachAlso(pid) }
        switch blocking({ [engine] in await EngineCall.attach(pid, engine: engine) }) {
        case .success(let processID):
            enterMain(processID)
            log("attached to \(processID) \(commandLine(processID))", kind: .process)
        case .failure(let error): say(error.description, severity: .error, kind: .process)
        }
    }

    /// Attaches `pid` and makes it one of the session's processes; with
    /// hold-new on it holds new threads and children as the others do.
    /// The success carries why hold-new could not be set, if it could not.
    func attachKeepingHoldNew(_ pid: Int32) -> Result<(Int32, String?), EngineError> {
        blocking({ [engine] in await EngineCall.attach(pid, engine: engine) }).map { processID in
            watched.add(processID)
            return (processID, state.status.holdingNew ? setHoldNew(processID, true) : nil)
        }
    }

    /// `d`: lets go of the shown process only; the session goes on with the
    /// others, or back to the picker when it was the last.
    func detachShown() {
        guard let pid = watched.current else { return enterPicker() }
        let command = commandLine(pid)
        let roots = Set(watched.roots)
        // Its followed children (forked under hold-new) go with it; other attached processes stay.
        let left = blocking { [engine] in
            var leaving: Set<Int32> = [pid]
            let traced = await engine.tracedProcesses()
            while let next = traced.first(where: { t in
                !leaving.contains(t.pid) && !roots.contains(t.pid) && t.parent.map(leaving.contains) == true
            }) {
                leaving.insert(next.pid)
            }
            for leaver in leaving { await engine.detach(leaver) }
            return leaving
        }
        // The detach took their hold points out and let their parked threads go.
        for leaver in left { _ = forgetPoints(of: leaver) }
        guard let next = watched.remove(pid) else {
            // Nothing attached is left; followed children go too.
            let others = blocking { [engine] in
                let others = await engine.attachedProcesses()
                for other in others { await engine.detach(other) }
                return others
            }
            for other in others { _ = forgetPoints(of: other) }
            enterPicker()
            return say("detached; the process runs on", kind: .process)
        }
        show(next)
        say("detached \(pid) \(command); it runs on. Showing \(next) \(commandLine(next))", kind: .process)
    }

    /// A process of the session is gone (or lost): the others go on, the
    /// picker comes back after the last.
    func targetGone(_ pid: Int32, _ text: String) {
        blocking { [engine] in await engine.detach(pid) }
        _ = forgetPoints(of: pid)
        guard let next = watched.remove(pid) else {
            enterPicker()
            return say(text, severity: .warning, kind: .process)
        }
        show(next)
        say("\(text); the session goes on, showing \(next) \(commandLine(next))", severity: .warning, kind: .process)
    }
}
