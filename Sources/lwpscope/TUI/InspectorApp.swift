import Backtraces
import CPtrace
import Engine
import Holds
import Inspector
import ProcFS
import Terminal
#if canImport(Glibc)
import Glibc
#endif

/// The full-screen inspector's controller: feeds the screen model from the
/// engine, draws it, and carries out the commands keys produce.
///
/// It runs on a thread of its own: curses is not thread-safe and its reads
/// block, and the cooperative pool must never be blocked.
final class InspectorApp: @unchecked Sendable {
    let engine: TraceEngine
    private let terminal: CursesTerminal
    private var state: InspectorState
    private let inbox: EventInbox
    private let backtracer = Backtracer()
    private let shallowBacktracer = Backtracer(maxDepth: 6)
    private var lastSnapshot: ProcessSnapshot?
    private var lastSpace: AddressSpace?
    private var fullBacktraces: [Int32: ThreadBacktrace] = [:]
    private let procfs = ProcFS()

    /// The process the user attached to, and the one whose threads are shown
    /// (a followed child, after `switchProcess`).
    private var attached: Int32?
    private var current: Int32?
    private var interval: Double = 1
    private var paused = false
    private var holdingNew = false
    /// Threads shown by stack group: every refresh unwinds every thread in full.
    private var grouping = false
    /// The system's process tree, for pane 1: reading every process's /proc
    /// files was a third of a refresh, and the tree rarely changes. Read again
    /// after `treeLifetime` seconds, or at once when a traced process forks,
    /// execs or exits.
    private var processTreeCache: (readAt: Double, tree: ProcessTree)?
    private static let treeLifetime = 5.0
    private var nextRefresh: Double = 0
    private var stall: Int?
    private var cpu = CPUUsage()
    private var backtraces: ProcessBacktraces?
    private var survey: HoldSurvey?
    private var exited: [Int32: String] = [:]
    private var running = true

    init(engine: TraceEngine, terminal: CursesTerminal) {
        self.engine = engine
        self.terminal = terminal
        state = InspectorState(capabilities: terminal.capabilities)
        inbox = EventInbox(engine.events)
    }

    /// Runs until the user quits. `pid` is already attached when given.
    func run(attachedTo pid: Int32?) {
        if let pid { enterMain(pid) } else { enterPicker() }
        while running {
            let now = Self.now()
            if now >= nextRefresh {
                refresh()
                nextRefresh = now + (state.screen == .picker ? 1 : interval)
            }
            handleEngineEvents()
            let (width, height) = terminal.size
            terminal.draw(state.render(width: width, height: height))
            let wait = max(10, min(200, Int((nextRefresh - Self.now()) * 1000)))
            guard let key = terminal.readKey(timeoutMilliseconds: wait) else { continue }
            if key == .resize { terminal.invalidate() }
            let outcome = state.handle(key)
            if let command = outcome.command { execute(command) }
        }
        blocking { [engine] in await engine.close() }
        terminal.stop()
    }

    // MARK: Screens

    private func enterPicker() {
        attached = nil
        current = nil
        backtraces = nil
        survey = nil
        state.showPicker()
        nextRefresh = 0
    }

    private func enterMain(_ pid: Int32) {
        attached = pid
        current = pid
        holdingNew = false
        processTreeCache = nil
        state.showMain(status(pid))
        state.clearBacktraces()
        nextRefresh = 0
    }

    private func status(_ pid: Int32) -> InspectorStatus {
        let command = procfs.commandLine(pid).map { $0.joined(separator: " ") } ?? ""
        return InspectorStatus(
            pid: pid, command: command, paused: paused, interval: interval, stallMicroseconds: stall,
            holdingNew: holdingNew)
    }

    // MARK: Refreshing

    private func refresh() {
        if state.screen == .picker {
            state.setProcessList(PickerRows.make(procfs.processListing()))
            return
        }
        guard let pid = current else { return }
        if paused { return }
        // A refresh needs the innermost frames of every thread (current
        // function, held or not); the selected thread gets its full backtrace.
        let result = blocking { [engine] in
            await EngineCall.snapshot(pid, engine: engine, stackBytes: 4096, details: .waitChannel)
        }
        switch result {
        case .failure(let error):
            state.showMessage(StatusMessage(error.description, severity: .error))
            if case .processExited = error { targetGone(pid, error.description) }
            return
        case .success(let snapshot):
            stall = snapshot.stoppedMicroseconds
            let space = backtracer.addressSpace(of: pid)
            // Groups compare whole stacks; otherwise the innermost frames will do.
            let traces = (grouping ? backtracer : shallowBacktracer).backtraces(of: snapshot, in: space)
            backtraces = traces
            lastSnapshot = snapshot
            lastSpace = space
            fullBacktraces = grouping ? Dictionary(traces.threads.map { ($0.tid, $0) }, uniquingKeysWith: { a, _ in a }) : [:]
            let stackGroups = grouping ? Self.stackGroupNumbers(traces.threads) : [:]
            survey = try? HoldSurvey.take(backtraces: traces, space: space) { [engine] flag in
                try? engine.readValue(pid: pid, address: flag.address, size: flag.size)
            }
            let held = Set(blocking { [engine] in await engine.heldAtBirth() }.map(\.tid))
            let cpuPercent = cpu.percentages(
                Dictionary(snapshot.threads.map { ($0.tid, $0.cpuTicks) }, uniquingKeysWith: { a, _ in a }),
                now: Self.now())
            let rows = traces.threads.map { thread in
                ThreadRow(
                    tid: thread.tid, name: thread.name, state: thread.state.letter,
                    cpuPercent: cpuPercent[thread.tid] ?? 0, wchan: thread.waitChannel,
                    function: thread.frames.first?.text.label,
                    heldFlag: survey?.heldBy[thread.tid]?.displayName, heldAtBirth: held.contains(thread.tid),
                    stackGroup: stackGroups[thread.tid])
            }
            state.setStatus(status(pid))
            state.setProcessTree(processTree(heldAtBirth: held))
            state.setHoldFlags((survey?.entries ?? []).map { entry in
                HoldFlagRow(
                    name: entry.flag.displayName, module: entry.flag.modulePath, value: entry.value ?? 0,
                    size: entry.flag.size, address: entry.flag.address, heldThreadCount: entry.heldThreads.count)
            })
            if let command = state.setThreads(rows) { execute(command) }
            if let selected = state.selectedThreadID { showBacktrace(selected) }
        }
    }

    /// A number per distinct stack: equal numbers, identical stacks.
    private static func stackGroupNumbers(_ threads: [ThreadBacktrace]) -> [Int32: Int] {
        var result: [Int32: Int] = [:]
        for (number, group) in StackGroups.group(threads).enumerated() {
            for thread in group.threads { result[thread.tid] = number }
        }
        return result
    }

    private func showBacktrace(_ tid: Int32) {
        guard let thread = fullBacktrace(tid) else { return }
        state.setBacktrace(Backtrace(
            tid: tid,
            frames: thread.frames.map(\.text),
            error: thread.error))
    }

    /// The selected thread's whole backtrace, unwound from the last snapshot's copy.
    private func fullBacktrace(_ tid: Int32) -> ThreadBacktrace? {
        if let cached = fullBacktraces[tid] { return cached }
        guard let snapshot = lastSnapshot, let space = lastSpace,
              let thread = snapshot.threads.first(where: { $0.tid == tid }) else { return nil }
        let full = backtracer.backtrace(of: thread, pid: snapshot.pid, in: space)
        fullBacktraces[tid] = full
        return full
    }

    /// The attached process's parent chain and its children, with the
    /// processes we trace (followed forks) and those held at birth marked.
    private func processTree(heldAtBirth: Set<Int32>) -> [ProcessTreeRow] {
        guard let root = attached else { return [] }
        let traced = blocking { [engine] in await engine.tracedProcesses() }
        let tracedPIDs = Set(traced.map(\.pid))
        let now = Self.now()
        if processTreeCache == nil || now - processTreeCache!.readAt > Self.treeLifetime {
            processTreeCache = (now, ProcessTree(procfs.processListing()))
        }
        let tree = processTreeCache!.tree
        var rows: [ProcessTreeRow] = []
        let ancestors = Array(tree.ancestors(of: root).reversed())
        for (depth, pid) in ancestors.enumerated() {
            rows.append(ProcessTreeRow(
                pid: pid, parent: tree.processes[pid]?.parentID, command: tree.processes[pid]?.command ?? "",
                depth: depth))
        }
        let base = ancestors.count
        func row(_ pid: Int32, depth: Int) -> ProcessTreeRow {
            ProcessTreeRow(
                pid: pid, parent: tree.processes[pid]?.parentID, command: tree.processes[pid]?.command ?? "",
                depth: depth, isCurrent: pid == current, traced: tracedPIDs.contains(pid),
                heldAtBirth: heldAtBirth.contains(pid), exited: exited[pid])
        }
        rows.append(row(root, depth: base))
        for child in tree.descendants(of: root) { rows.append(row(child.pid, depth: base + child.depth)) }
        return rows
    }

    private func handleEngineEvents() {
        for event in inbox.drain() {
            switch event {
            case .processExited(let pid, let status):
                exited[pid] = status.description
                processTreeCache = nil
                if pid == attached { targetGone(pid, "pid \(pid) \(status)") }
                else if pid == current { current = attached; nextRefresh = 0 }
            case .processForked, .processExecuted:
                processTreeCache = nil
                nextRefresh = min(nextRefresh, Self.now() + 0.1)
            case .threadCreated:
                nextRefresh = min(nextRefresh, Self.now() + 0.1)
            case .threadExited:
                break
            }
        }
    }

    /// The target is gone: back to the picker, saying how it ended.
    private func targetGone(_ pid: Int32, _ text: String) {
        blocking { [engine] in await engine.detach(pid) }
        enterPicker()
        state.showMessage(StatusMessage(text, severity: .warning))
    }

    // MARK: Commands

    private func execute(_ command: InspectorCommand) {
        switch command {
        case .attach(let pid):
            switch blocking({ [engine] in await EngineCall.attach(pid, engine: engine) }) {
            case .success(let processID): enterMain(processID)
            case .failure(let error): state.showMessage(StatusMessage(error.description, severity: .error))
            }
        case .switchProcess(let pid):
            current = pid
            state.showMain(status(pid))
            nextRefresh = 0
        case .detach:
            blocking { [engine] in
                for pid in await engine.attachedProcesses() { await engine.detach(pid) }
            }
            enterPicker()
            state.showMessage(StatusMessage("detached; the process runs on"))
        case .quit:
            running = false
        case .toggleFlag(let name, let address):
            toggleFlag(name: name, address: address)
        case .releaseThread(let tid):
            release(tid)
        case .toggleHoldNew:
            guard let pid = current else { return }
            let on = !holdingNew
            let result = blocking { [engine] () -> String? in
                do { try await engine.setHoldNew(pid, on); return nil } catch { return "\(error)" }
            }
            if let result { state.showMessage(StatusMessage(result, severity: .error)) } else {
                holdingNew = on
                state.showMessage(StatusMessage(on ? "new threads and children are held at birth" : "new threads and children run freely"))
            }
            state.setStatus(status(pid))
        case .togglePause:
            paused.toggle()
            if let pid = current { state.setStatus(status(pid)) }
            nextRefresh = 0
        case .setInterval(let seconds):
            interval = seconds
            if let pid = current { state.setStatus(status(pid)) }
            nextRefresh = min(nextRefresh, Self.now() + seconds)
        case .handToGDB(let pid):
            handToGDB(pid)
        case .selectThread(let tid):
            showBacktrace(tid)
        case .setGrouping(let on):
            grouping = on
            nextRefresh = 0
        }
    }

    private func toggleFlag(name: String, address: UInt64) {
        guard let pid = current, let entry = survey?.entries.first(where: { $0.flag.address == address }) else { return }
        let newValue: UInt64 = (entry.value ?? 0) == 0 ? 1 : 0
        do {
            try engine.writeValue(pid: pid, address: address, size: entry.flag.size, value: newValue)
            state.showMessage(StatusMessage("\(name) = \(newValue)"))
        } catch {
            state.showMessage(StatusMessage(error.description, severity: .error))
        }
        nextRefresh = 0
    }

    private func release(_ tid: Int32) {
        guard let pid = current else { return }
        if blocking({ [engine] in await engine.releaseHeld(tid) }) {
            state.showMessage(StatusMessage("released thread \(tid), held at birth"))
        } else if let flag = survey?.heldBy[tid] {
            let result = blocking { [engine] () -> Result<ThreadRelease, ReleaseFailure> in
                do {
                    return .success(try await engine.releaseThread(pid: pid, tid: tid, flagAddress: flag.address, flagSize: flag.size))
                } catch {
                    return .failure(ReleaseFailure(message: "\(error)"))
                }
            }
            switch result {
            case .success(let release):
                state.showMessage(StatusMessage("released thread \(tid) from \(flag.displayName) (\(release.steps) steps); \(flag.displayName) is \(release.flagValueAfter) again"))
            case .failure(let failure):
                state.showMessage(StatusMessage(failure.message, severity: .error))
            }
        } else {
            state.showMessage(StatusMessage("thread \(tid) is not held", severity: .warning))
        }
        nextRefresh = 0
    }

    /// Leaves the screen, detaches, runs gdb on the process (argv, no shell),
    /// and comes back attached when gdb exits.
    private func handToGDB(_ pid: Int32) {
        blocking { [engine] in await engine.detach(pid) }
        terminal.stop()
        let status = GDBHandOff.run(pid: pid)
        terminal.resume()
        switch blocking({ [engine] in await EngineCall.attach(pid, engine: engine) }) {
        case .success(let processID):
            enterMain(processID)
            state.showMessage(StatusMessage(status))
        case .failure(let error):
            enterPicker()
            state.showMessage(StatusMessage("\(status); \(error)", severity: .warning))
        }
    }

    struct ReleaseFailure: Error { let message: String }

    static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
