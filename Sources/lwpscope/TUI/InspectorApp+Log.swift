import Engine
import Inspector
import InspectorFeed

/// The event log (`l`): what the engine reports and what the controller does
/// and says, each with the time of day.
extension InspectorApp {
    /// Shows `message` on the message line; the screen model logs it.
    func say(_ message: StatusMessage, kind: EventLogEntry.Kind = .message) {
        state.showMessage(message, loggedAs: kind)
    }

    /// Keeps a line in the log only.
    func log(_ text: String, kind: EventLogEntry.Kind, severity: StatusMessage.Severity = .info) {
        state.appendLog([EventLogEntry(time: WallClock.timeOfDay(), kind: kind, text: text, severity: severity)])
    }

    func say(_ text: String, severity: StatusMessage.Severity = .info, kind: EventLogEntry.Kind = .message) {
        say(StatusMessage(text, severity: severity), kind: kind)
    }

    /// Acts on the events collected since the last frame: the screen follows
    /// them, the log records them, and a birth held is announced.
    func handleEngineEvents() {
        let events = withoutLoaderWatches(inbox.drain())
        guard !events.isEmpty else { return }
        let names = names(for: events)
        let time = WallClock.timeOfDay()
        state.appendLog(events.compactMap { EventLogEntries.entry(for: $0, at: time, names: names) })
        let held = events.compactMap { event -> (pid: Int32, tid: Int32)? in
            if case .heldAtBirth(let pid, let tid) = event { (pid, tid) } else { nil }
        }
        if let announcement = EventLogEntries.heldAtBirthAnnouncement(held, shownPID: watched.current, names: names) {
            state.showMessage(announcement)
        }
        let parked = events.compactMap { event -> (pid: Int32, tid: Int32, pointID: Int)? in
            if case .parkedAtPoint(let pid, let tid, let id) = event { (pid, tid, id) } else { nil }
        }
        if let announcement = EventLogEntries.parkedAnnouncement(parked, shownPID: watched.current, names: names) {
            state.showMessage(announcement)
        }
        let exec = events.lazy.compactMap { event -> (pid: Int32, path: String, start: Bool)? in
            if case .heldAtExec(let pid, let path, let start) = event { (pid, path, start) } else { nil }
        }.last
        if let announcement = EventLogEntries.execAnnouncement(exec) { state.showMessage(announcement) }
        // A thread about to die: said last (it matters most), and selected with its backtrace.
        let fatal = events.lazy.compactMap { event -> (pid: Int32, tid: Int32, signal: Int32, address: UInt64)? in
            if case .heldAtSignal(let pid, let tid, let signal, let address) = event { (pid, tid, signal, address) } else { nil }
        }.last
        if let fatal, let announcement = EventLogEntries.signalAnnouncement(fatal, names: names) {
            state.showMessage(announcement)
            pendingSelection = (fatal.pid, fatal.tid)
            if fatal.pid != watched.current { show(fatal.pid) } else { refresh(within: 0) }
        }
        for event in events {
            pointsFollow(event)
            switch watched.react(to: event) {
            case .none: break
            case .refreshSoon: refresh(within: 0.1)
            case .refreshNow:
                if let pid = watched.current { show(pid) }
            case .rootGone(let pid, let message), .targetGone(let pid, let message): targetGone(pid, message)
            }
        }
    }

    /// Reads the commands and thread names the events' log lines show, now,
    /// while the processes are there to ask.
    private func names(for events: [EngineEvent]) -> EventLogNames {
        var names = EventLogNames()
        if events.contains(where: { if case .parkedAtPoint = $0 { true } else { false } }) {
            let placed = blocking { [placer] in await placer.points() }
            names.points = Dictionary(placed.map { ($0.spec.id, $0.location) }, uniquingKeysWith: { a, _ in a })
        }
        for event in events {
            let wanted = EventLogNames.wanted(by: event)
            for pid in wanted.processes where names.commands[pid] == nil {
                let command = commandLine(pid)
                if !command.isEmpty { names.commands[pid] = command }
            }
            for (pid, tid) in wanted.threads where names.threads[tid] == nil {
                names.threads[tid] = procfs.comm(pid, thread: tid)
            }
        }
        return names
    }
}
