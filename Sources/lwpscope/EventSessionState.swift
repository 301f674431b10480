import Engine
import HoldPoints
import InspectorFeed
import ProcFS

/// What an event session keeps between inputs, and how it answers each:
/// engine events become event lines, stdin lines are obeyed, ticks retry
/// pending points and flag long holds.
struct EventSessionState {
    let processID: Int32
    let engine: TraceEngine
    let placer: HoldPointPlacer
    let session: EventSession
    /// Threads shown parked at a point, by tid, with their process.
    private var parked: [Int32: Int32] = [:]
    /// Holds already flagged as long.
    private var flaggedLong: Set<Int32> = []
    private let procfs = ProcFS()

    init(processID: Int32, engine: TraceEngine, placer: HoldPointPlacer, session: EventSession) {
        self.processID = processID
        self.engine = engine
        self.placer = placer
        self.session = session
    }

    /// False when the session is over.
    mutating func handle(_ input: EventSession.Input) async -> Bool {
        switch input {
        case .engine(let event): return await handle(event)
        case .command(let line): return await obey(line)
        case .endOfInput: return false
        case .tick:
            report(await placer.retryPending())
            await flagLongHolds()
            return true
        }
    }

    private mutating func handle(_ event: EngineEvent) async -> Bool {
        switch event {
        case .parkedAtPoint(let pid, let tid, let id) where await placer.isLoaderWatch(id):
            report(await placer.loaderStopped(pid: pid, tid: tid))
        case .parkedAtPoint(let pid, let tid, let id):
            parked[tid] = pid
            session.emit(.parked(pid: pid, tid: tid, name: procfs.comm(pid, thread: tid) ?? "", point: await placer.point(id)))
        case .threadExited(let pid, let tid) where parked[tid] != nil:
            parked[tid] = nil
            session.emit(.exited(pid: pid, tid: tid))
        case .processForked(let parent, let child):
            await placer.inherit(child, from: parent)
        case .processExecuted(let pid):
            report(await placer.imageReplaced(pid))
        case .heldAtBirth(let pid, let tid):
            session.emit(.held(pid: pid, tid: tid, at: "birth", command: command(pid), exe: procfs.executablePath(pid) ?? ""))
        case .heldAtExec(let pid, let path, let start):
            session.emit(.held(pid: pid, tid: pid, at: start ? "start" : "exec", command: command(pid), exe: path))
        case .heldAtSignal(let pid, let tid, let signal, let address):
            session.emit(.signal(pid: pid, tid: tid, signal: signal, address: address))
        case .detachedAtExec(let pid, let path):
            session.emit(.detached(pid: pid, exe: path))
        case .processExited(let pid, let status):
            for (tid, owner) in parked where owner == pid { parked[tid] = nil }
            session.emit(.processExited(pid: pid, status: status))
            // The last traced process gone: nothing is left to hold.
            return !(await engine.attachedProcesses().isEmpty)
        default:
            break
        }
        return true
    }

    private mutating func obey(_ line: String) async -> Bool {
        let words = line.split(separator: " ").map(String.init)
        switch (words.first, words.count) {
        case (nil, _): break
        case ("quit"?, 1): return false
        case ("list"?, 1): await list()
        case ("release"?, 2) where words[1] == "all":
            for thread in await engine.parkedThreads() where parked[thread.tid] != nil {
                guard await engine.releaseFromPoint(thread.tid) else { continue }
                parked[thread.tid] = nil
                session.emit(.released(pid: thread.pid, tid: thread.tid))
            }
            for task in await engine.heldTasks() where !task.isSignalOrPoint {
                if await engine.releaseHeld(task.tid) { session.emit(.released(pid: task.pid, tid: task.tid)) }
            }
        case ("release"?, 2):
            guard let tid = Int32(words[1]) else {
                session.complain("release takes a process or thread id, or `all`, not \(words[1])")
                break
            }
            await release(tid)
        case ("pass"?, 2):
            guard let tid = Int32(words[1]), let task = await engine.heldTasks().first(where: { $0.tid == tid }),
                  case .signal = task.reason, await engine.passSignal(tid) else {
                session.complain("thread \(words[1]) is not held at a signal; `list` shows who is")
                break
            }
            session.emit(.released(pid: task.pid, tid: tid))
        default:
            session.complain("unknown command \(line): use release PID|TID, release all, pass TID, list or quit")
        }
        return true
    }

    /// A thread parked at a point runs on (it parks again when it comes
    /// back); one held at birth, an exec or its start runs.
    private mutating func release(_ tid: Int32) async {
        if let owner = await engine.parkedThreads().first(where: { $0.tid == tid })?.pid,
           await engine.releaseFromPoint(tid) {
            parked[tid] = nil
            session.emit(.released(pid: owner, tid: tid))
            return
        }
        // A process held whole (its start, `--wait-for`) goes by its pid.
        let whole = await engine.heldTasks().filter { task in
            if case .start = task.reason { task.pid == tid } else { false }
        }
        if whole.count > 1 {
            for task in whole where await engine.releaseHeld(task.tid) {}
            session.emit(.released(pid: tid, tid: tid))
            return
        }
        if let task = await engine.heldTasks().first(where: { $0.tid == tid }) {
            if case .signal = task.reason {
                session.complain("thread \(tid) is held at a fatal signal: `pass \(tid)` delivers it")
                return
            }
            if await engine.releaseHeld(tid) {
                session.emit(.released(pid: task.pid, tid: tid))
                return
            }
        }
        session.complain("\(tid) is not held; `list` shows who is")
    }

    private func list() async {
        let byPoint = Dictionary(grouping: await engine.parkedThreads().filter { parked[$0.tid] != nil }, by: \.pointID)
            .mapValues { $0.map(\.tid) }
        let now = MonotonicClock.seconds()
        let held = await engine.heldTasks().filter { !$0.isPoint }.map { task in
            SessionEvent.HeldLine(pid: task.pid, tid: task.tid, at: task.reason.word, seconds: task.heldFor(now: now),
                                  long: task.heldFor(now: now) > HeldTask.longHold)
        }
        // The flags beside them, from one snapshot (held threads stay held).
        let survey = try? await HoldActions(engine: engine).survey(processID)
        session.emit(.list(pid: processID, points: await placer.points(), parked: byPoint, held: held,
                           flags: survey.map(HoldReport.flags) ?? []))
    }

    /// Each hold longer than `HeldTask.longHold`, once.
    private mutating func flagLongHolds() async {
        let now = MonotonicClock.seconds()
        let tasks = await engine.heldTasks()
        flaggedLong.formIntersection(tasks.map(\.tid))
        for task in tasks where task.heldFor(now: now) > HeldTask.longHold && !flaggedLong.contains(task.tid) {
            flaggedLong.insert(task.tid)
            session.emit(.longHold(pid: task.pid, tid: task.tid, seconds: task.heldFor(now: now)))
        }
    }

    private func report(_ retries: [PointRetry]) {
        for retry in retries {
            switch retry {
            case .placed(let points): points.forEach { session.emit(.point($0)) }
            case .pending(let request, let pid, let reason):
                session.emit(.pending(pid: pid, location: request.location, reason: reason))
            case .failed(let request, let pid, let reason):
                session.complain("cannot set \(request.location) in \(pid)'s new image: \(reason)")
            }
        }
    }

    private func command(_ pid: Int32) -> String {
        procfs.commandLine(pid)?.joined(separator: " ") ?? ""
    }
}

extension HeldTask {
    var isPoint: Bool { if case .point = reason { true } else { false } }
    var isSignalOrPoint: Bool {
        switch reason {
        case .signal, .point: true
        default: false
        }
    }
}

extension HeldFor {
    /// `birth`, `exec`, `start`, `signal`, `point`: what `list` and `held` say.
    var word: String {
        switch self {
        case .birth: "birth"
        case .exec: "exec"
        case .start: "start"
        case .signal: "signal"
        case .point: "point"
        }
    }
}
