import Engine
import Inspector
import Paths

/// The names the log puts beside ids, read by the controller as the events
/// arrive (a process that has exited can no longer be asked).
public struct EventLogNames: Sendable, Equatable {
    /// Command line by process id.
    public var commands: [Int32: String]
    /// Thread name (comm) by thread id.
    public var threads: [Int32: String]
    /// A hold point's location by its id.
    public var points: [Int: String]

    public init(commands: [Int32: String] = [:], threads: [Int32: String] = [:], points: [Int: String] = [:]) {
        self.commands = commands
        self.threads = threads
        self.points = points
    }

    /// The ids whose names an event's entry shows: what the controller reads.
    public static func wanted(by event: EngineEvent) -> (processes: [Int32], threads: [(pid: Int32, tid: Int32)]) {
        switch event {
        case .processForked(let parent, let child): ([parent, child], [])
        case .processExecuted(let pid): ([pid], [])
        case .processExited: ([], [])
        // A new thread's name is its creator's until it sets one: not worth a read each.
        case .threadCreated(let pid, _): ([pid], [])
        case .threadExited: ([], [])
        case .heldAtBirth(let pid, let tid): ([pid], tid == pid ? [] : [(pid, tid)])
        case .signalPassedOn(let pid, let tid, _): ([pid], [(pid, tid)])
        case .parkedAtPoint(let pid, let tid, _): ([pid], [(pid, tid)])
        case .heldAtExec(let pid, _, _): ([pid], [])
        case .heldAtSignal(let pid, let tid, _, _): ([pid], [(pid, tid)])
        case .detachedAtExec: ([], [])
        }
    }
}

/// What the engine's events say in the log (`l`), one line each, and what a
/// birth held says on the status line. Pure: names come in `EventLogNames`.
public enum EventLogEntries {
    /// nil for what the log leaves out: a thread's exit (a thread pool's
    /// churn would bury everything else).
    public static func entry(for event: EngineEvent, at time: String, names: EventLogNames) -> EventLogEntry? {
        switch event {
        case .processForked(let parent, let child):
            EventLogEntry(time: time, kind: .process,
                          text: "\(process(parent, names)) forked child \(process(child, names))")
        case .processExecuted(let pid):
            EventLogEntry(time: time, kind: .process,
                          text: "pid \(pid) ran exec: now \(names.commands[pid].map(quoted) ?? "an unknown command")")
        case .processExited(let pid, let status):
            EventLogEntry(time: time, kind: .process, text: "pid \(pid) \(status)",
                          severity: status == .exited(code: 0) ? .info : .warning)
        case .threadCreated(let pid, let tid):
            EventLogEntry(time: time, kind: .thread, text: "thread \(tid) born in \(process(pid, names))")
        case .threadExited:
            nil
        case .heldAtBirth(let pid, let tid):
            EventLogEntry(time: time, kind: .hold, text: "\(task(pid: pid, tid: tid, names)) held at birth",
                          severity: .warning)
        case .signalPassedOn(let pid, let tid, let signal):
            EventLogEntry(time: time, kind: .signal,
                          text: "\(signalText(signal)) passed on to \(thread(tid, names)) of pid \(pid)")
        case .parkedAtPoint(let pid, let tid, let point):
            EventLogEntry(time: time, kind: .hold, text: "\(task(pid: pid, tid: tid, names)) parked at hold point \(names.points[point] ?? "\(point)")",
                          severity: .warning)
        case .heldAtExec(let pid, let path, let start):
            EventLogEntry(time: time, kind: .hold,
                          text: "pid \(pid) held at \(start ? "its start" : "exec"), before \(path) runs", severity: .warning)
        case .heldAtSignal(let pid, let tid, let signal, let address):
            EventLogEntry(time: time, kind: .signal,
                          text: "\(thread(tid, names)) of pid \(pid) got \(signalText(signal))"
                              + (address == 0 ? "" : " at 0x\(String(address, radix: 16))") + ": held before it dies",
                          severity: .error)
        case .detachedAtExec(let pid, let path):
            EventLogEntry(time: time, kind: .process, text: "pid \(pid) exec'd \(path), which no --execs matches: let go")
        }
    }

    /// The message line for a thread held at a fatal signal, or nil.
    public static func signalAnnouncement(_ held: (pid: Int32, tid: Int32, signal: Int32, address: UInt64)?,
                                          names: EventLogNames) -> StatusMessage? {
        guard let held else { return nil }
        let at = held.address == 0 ? "" : " at 0x\(String(held.address, radix: 16))"
        return StatusMessage(
            "\(thread(held.tid, names)) of pid \(held.pid) got \(signalText(held.signal))\(at), held before it dies: "
                + "r passes it on (it dies as it would have), g hands it to gdb", severity: .error)
    }

    /// The message line for a process held at an exec or its start, or nil.
    public static func execAnnouncement(_ held: (pid: Int32, path: String, start: Bool)?) -> StatusMessage? {
        guard let held else { return nil }
        return StatusMessage("pid \(held.pid) held at \(held.start ? "its start" : "exec") of \(held.path): "
                                 + "show it (pane 1, Enter), select it and press r to let it run", severity: .warning)
    }

    /// The status line's word on births held in one batch of events: what
    /// is held and how to let it go. nil when none was.
    /// - shownPID: the process whose threads are on screen; a held thread of
    ///   another must be shown first.
    public static func heldAtBirthAnnouncement(_ held: [(pid: Int32, tid: Int32)], shownPID: Int32?,
                                               names: EventLogNames) -> StatusMessage? {
        announcement(held, what: "held at birth", several: "held at birth", shownPID: shownPID, names: names)
    }

    /// The message line for threads just parked at hold points, or nil.
    public static func parkedAnnouncement(_ parked: [(pid: Int32, tid: Int32, pointID: Int)], shownPID: Int32?,
                                          names: EventLogNames) -> StatusMessage? {
        let at = parked.last.flatMap { names.points[$0.pointID] }.map { "parked at \($0)" } ?? "parked at a hold point"
        return announcement(parked.map { ($0.pid, $0.tid) }, what: at, several: "parked at hold points",
                            shownPID: shownPID, names: names)
    }

    /// `thread 7 worker of pid 42 held at birth: select it and press r to release`,
    /// or for several, their count and tids.
    private static func announcement(_ held: [(pid: Int32, tid: Int32)], what: String, several: String,
                                     shownPID: Int32?, names: EventLogNames) -> StatusMessage? {
        guard let last = held.last else { return nil }
        if held.count > 1 {
            let tids = held.map { String($0.tid) }.joined(separator: " ")
            return StatusMessage("\(held.count) \(several) (\(tids)): select one and press r to release it",
                                 severity: .warning)
        }
        let how = last.pid == shownPID
            ? "select it and press r to release"
            : "show pid \(last.pid) (pane 1, Enter), select it and press r to release"
        return StatusMessage("\(task(pid: last.pid, tid: last.tid, names)) \(what): \(how)", severity: .warning)
    }

    /// `SIGUSR2` (or `signal 40` for one without a common name).
    static func signalText(_ signal: Int32) -> String { signalName(signal) ?? "signal \(signal)" }

    /// `child 4250 (sleep)` for a process's main thread, else `thread 4251 worker of pid 4242`.
    private static func task(pid: Int32, tid: Int32, _ names: EventLogNames) -> String {
        tid == pid ? "child \(pid)\(program(pid, names))" : "\(thread(tid, names)) of pid \(pid)"
    }

    /// `pid 4242 (server)`: the program's name; only exec's line gives the whole command.
    private static func process(_ pid: Int32, _ names: EventLogNames) -> String {
        "pid \(pid)\(program(pid, names))"
    }

    private static func program(_ pid: Int32, _ names: EventLogNames) -> String {
        guard let first = names.commands[pid]?.split(separator: " ").first else { return "" }
        return " (\(Path.basename(String(first))))"
    }

    private static func thread(_ tid: Int32, _ names: EventLogNames) -> String {
        "thread \(tid)" + (names.threads[tid].map { " \($0)" } ?? "")
    }

    private static func quoted(_ command: String) -> String { "`\(command)`" }
}
