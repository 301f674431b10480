import CPtrace
#if canImport(Glibc)
import Glibc
#endif

/// Collects waitpid results and acts on them: new threads and children
/// adopted, exec and exit accounted for, every stop passed to the tracee's
/// transitions (which resume it unless a stop is in progress).
struct TraceEventHandler {
    let store: TraceeStore

    /// Collects every pending ptrace event without blocking.
    /// Returns whether there was any.
    @discardableResult
    func collectEvents() -> Bool {
        var any = false
        while collectOneEvent() != nil { any = true }
        return any
    }

    /// Handles one waitpid result, if there is one. Only this thread's tracees
    /// are seen (__WNOTHREAD), so other engines and the caller's own children
    /// are never reaped here.
    /// Returns the thread it was about, or nil when nothing was pending.
    @discardableResult
    func collectOneEvent() -> Int32? {
        var status: Int32 = 0
        let tid = waitpid(-1, &status, WNOHANG | Int32(LWP_WALL) | Int32(LWP_WNOTHREAD))
        guard tid > 0 else { return nil }
        handle(tid, status: status)
        return tid
    }

    /// Handles `tid`'s pending waitpid result, if it has one. False when it
    /// has none (or is no longer our tracee to wait for).
    func collectOneEvent(of tid: Int32) -> Bool {
        var status: Int32 = 0
        let reported = waitpid(tid, &status, WNOHANG | Int32(LWP_WALL) | Int32(LWP_WNOTHREAD))
        if reported == -1, errno == ECHILD, let tracee = store.tracees[tid] {
            // No longer ours to wait for: gone without a status (an exec took it).
            store.tracees[tid] = nil
            if tid == tracee.processID { store.structureChanged = true }
            return true
        }
        guard reported == tid else { return false }
        handle(tid, status: status)
        return true
    }

    private func handle(_ tid: Int32, status: Int32) {
        EngineLog.write("wait: tid \(tid) status 0x\(String(status, radix: 16))")
        guard let decoded = TraceeObservation(waitStatus: status) else { return }
        if case .exited(let exit) = decoded {
            handleExit(tid, exit)
            return
        }
        if store.tracees[tid] == nil { adopt(tid) }
        guard let tracee = store.tracees[tid] else { return }
        var subject = tid
        var observation = decoded
        if case .signalDelivery(SIGTRAP) = observation, !tracee.state.isStepping {
            switch pointTrap(tracee) {
            case .notOurs: break
            case .passThrough: observation = .trapAtPoint(hold: nil)
            case .park(let id): observation = .trapAtPoint(hold: .point(id))
            }
        }
        switch observation {
        case .event(.clone):
            if let child = try? Ptrace.eventMessage(tid) { adoptClone(Int32(truncatingIfNeeded: child), of: tracee) }
        case .event(.fork), .event(.vfork):
            if let child = try? Ptrace.eventMessage(tid) {
                adoptFork(Int32(truncatingIfNeeded: child), parent: tracee.processID, sharesMemory: observation == .event(.vfork))
            }
        case .event(.exec):
            let hadPoints = store.points[tracee.processID] != nil
            subject = handleExec(tracee)
            applyExecRules(subject, hadPoints: hadPoints)
        default:
            break
        }
        var fatal: EngineEvent?
        if case .signalDelivery(let signal) = observation { fatal = holdIfFatal(tracee, signal: signal) }
        store.apply(.observed(observation), to: subject)
        if let fatal { store.onEvent(fatal) }
        if case .trapAtPoint(.point(let id)?) = observation, store.tracees[subject]?.state.isHeld(for: .point(id)) == true {
            store.onEvent(.parkedAtPoint(pid: tracee.processID, tid: subject, pointID: id))
        }
    }

    private func handleExit(_ tid: Int32, _ exit: TerminationStatus) {
        guard let tracee = store.tracees[tid] else { return }
        store.apply(.observed(.exited(exit)), to: tid)
        let pid = tracee.processID
        if tid == pid {
            EngineLog.write("process \(pid) exited: \(exit)")
            for other in store.tids(of: pid) { store.tracees[other] = nil }
            store.structureChanged = true
            store.processes[pid] = nil
            store.exitedProcesses[pid] = exit
            forgetPoints(pid)
            store.onEvent(.processExited(pid: pid, status: exit))
        } else {
            store.onEvent(.threadExited(pid: pid, tid: tid))
        }
    }

    /// A stop from a thread we have not seen: a new thread or child whose first
    /// stop came before its parent's clone or fork event.
    private func adopt(_ tid: Int32) {
        let processID = store.procfs.status(tid)?.threadGroupID ?? tid
        if let process = store.processes[processID] {
            let intent: TraceeIntent = store.anyKeptStopped(process.pid) ? .keepStopped : .letRun
            store.add(Tracee(tid: tid, processID: process.pid, intent: intent), heldAtBirth: process.holdNew)
            store.newTracees.append(tid)
            store.onEvent(.threadCreated(pid: processID, tid: tid))
            announceIfHeldAtBirth(tid)
        } else {
            addChildProcess(tid, parent: store.procfs.status(tid)?.parentID ?? 0)
        }
    }

    /// A new thread joins a stop its parent is part of.
    private func adoptClone(_ child: Int32, of parent: Tracee) {
        guard child > 0, store.tracees[child] == nil else { return }
        let hold = store.processes[parent.processID]?.holdNew ?? false
        let intent: TraceeIntent = parent.intent == .keepStopped ? .keepStopped : .letRun
        store.add(Tracee(tid: child, processID: parent.processID, intent: intent), heldAtBirth: hold)
        store.newTracees.append(child)
        store.onEvent(.threadCreated(pid: parent.processID, tid: child))
        announceIfHeldAtBirth(child)
    }

    private func adoptFork(_ child: Int32, parent: Int32, sharesMemory: Bool) {
        guard child > 0 else { return }
        if store.tracees[child] == nil { addChildProcess(child, parent: parent) }
        // Its first stop may have come first, before we knew it was a vfork.
        if sharesMemory { store.points[child]?.sharesParentMemory = true }
    }

    /// A child we follow inherits hold-new from its parent, and is itself held
    /// at birth when it is on.
    private func addChildProcess(_ child: Int32, parent: Int32) {
        let command = store.procfs.commandLine(child)?.joined(separator: " ") ?? ""
        let hold = store.processes[parent]?.holdNew ?? false
        var process = TracedProcess(pid: child, command: command, parentID: parent, holdNew: hold)
        // The exec rules go down the tree; without births held, a child is
        // followed only to see what it execs.
        process.execGlobs = store.processes[parent]?.execGlobs ?? []
        process.followedForExecs = !hold && !process.execGlobs.isEmpty
        store.processes[child] = process
        inheritPoints(child, from: parent)
        store.add(Tracee(tid: child, processID: child), heldAtBirth: hold)
        store.newTracees.append(child)
        store.onEvent(.processForked(parent: parent, child: child))
        announceIfHeldAtBirth(child)
    }

    /// After its birth was announced: whether the hold took (a tracee being
    /// detached is not held).
    private func announceIfHeldAtBirth(_ tid: Int32) {
        guard let tracee = store.tracees[tid], tracee.state.isHeld(for: .birth) else { return }
        store.onEvent(.heldAtBirth(pid: tracee.processID, tid: tid))
    }

    /// After exec only the execing thread survives, now with the process's id.
    /// Returns the id its exec stop is now filed under.
    private func handleExec(_ tracee: Tracee) -> Int32 {
        let pid = tracee.processID
        // A new program: its memory has none of the old one's trap bytes.
        forgetPoints(pid)
        for other in store.tids(of: pid) where other != tracee.tid { store.tracees[other] = nil }
        store.structureChanged = true
        if tracee.tid != pid {
            store.tracees[tracee.tid] = nil
            store.tracees[pid] = Tracee(tid: pid, processID: pid, state: tracee.state, intent: tracee.intent)
        }
        store.processes[pid]?.command = store.procfs.commandLine(pid)?.joined(separator: " ") ?? store.processes[pid]?.command ?? ""
        store.onEvent(.processExecuted(pid: pid))
        return pid
    }

    // MARK: Hold points

    enum PointTrapOutcome { case notOurs, passThrough, park(Int) }

    /// Whether a SIGTRAP came from one of our trap bytes; if so the thread is
    /// moved onto the point's displaced copy now (see TraceSession+Points).
    /// A point removed since still counts: the trap may have fired before.
    private func pointTrap(_ tracee: Tracee) -> PointTrapOutcome {
        guard let table = store.points[tracee.processID], let registers = try? Ptrace.registers(tracee.tid),
              let point = table.points.values.first(where: { $0.spec.address == registers.pc &- 1 })
        else { return .notOurs }
        guard (try? Ptrace.setRegisters(tracee.tid, registers.with(pc: point.spec.copyAddress))) != nil else { return .notOurs }
        guard !point.removed else { return .passThrough }
        if let pattern = point.spec.threadPattern {
            let name = store.procfs.comm(tracee.processID, thread: tracee.tid) ?? ""
            guard fnmatch(pattern, name, 0) == 0 else { return .passThrough }
        }
        return .park(point.spec.id)
    }

    /// A forked child's memory is a copy of its parent's, trap bytes and
    /// copies included: it gets the same points, so its threads park too and
    /// its code is restored when we leave it.
    private func inheritPoints(_ child: Int32, from parent: Int32) {
        guard var table = store.points[parent] else { return }
        table.startTime = store.procfs.stat(child)?.startTicks ?? 0
        table.sharesParentMemory = false
        store.points[child] = table
        for point in table.points.values {
            store.guardian?.send(.scratch(pid: child, startTime: table.startTime, address: point.spec.copyAddress,
                                          original: point.scratchOriginal, patched: point.spec.copyCode))
            if !point.removed {
                store.guardian?.send(.patch(pid: child, startTime: table.startTime, address: point.spec.address,
                                            original: [point.originalByte], patched: [TraceSession.trapByte]))
            }
        }
    }

    /// The process's memory is gone or replaced (exit, exec): its points are
    /// forgotten without writing, and the guardian told to leave them.
    private func forgetPoints(_ pid: Int32) {
        guard let table = store.points[pid] else { return }
        store.points[pid] = nil
        for point in table.points.values {
            store.guardian?.send(.restored(pid: pid, address: point.spec.address))
            store.guardian?.send(.restored(pid: pid, address: point.spec.copyAddress))
        }
    }
}
