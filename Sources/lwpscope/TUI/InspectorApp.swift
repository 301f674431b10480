import Engine
import HoldPoints
import Inspector
import InspectorFeed
import ProcFS
import Terminal
import Waits

/// The full-screen inspector's controller: connects the loop, the terminal
/// and the engine. What the panes show comes from `InspectorFeed`; all UI
/// state (paused, interval, grouping, hold-new) is `InspectorState`'s.
///
/// It runs on a thread of its own: curses is not thread-safe and its reads
/// block, and the cooperative pool must never be blocked.
final class InspectorApp: @unchecked Sendable {
    let engine: TraceEngine
    let terminal: CursesTerminal
    var state: InspectorState
    let inbox: EventInbox
    let procfs = ProcFS()
    let holds: HoldActions
    /// The session's hold points (`b`), in every process of it.
    let placer: HoldPointPlacer
    var watched = WatchedProcesses()
    var feed = ThreadFeed()
    var pickerFeed = PickerFeed()
    /// One for the session: it keeps what is costly to read (every
    /// process's descriptors) between refreshes.
    let waitAnalyzer = WaitAnalyzer()
    /// `f` to a thread of another process: selected after the refresh that brings its threads.
    var pendingFollow: (pid: Int32, tid: Int32)?
    /// A thread to select, without a word, after the refresh that shows its
    /// process (one held at a fatal signal: the message says why).
    var pendingSelection: (pid: Int32, tid: Int32)?
    var nextRefresh: Double = 0
    /// The next refresh happens even while paused (a command changed the target).
    var refreshEvenIfPaused = false
    var running = true
    /// Where the frame overlay finds source files (`--source-dir`, `--source-map`).
    let sources: SourceFiles

    init(engine: TraceEngine, terminal: CursesTerminal, sources: SourceFiles = SourceFiles()) {
        self.engine = engine
        self.terminal = terminal
        self.sources = sources
        state = InspectorState(capabilities: terminal.capabilities, clock: { WallClock.timeOfDay() })
        inbox = EventInbox(engine.events)
        holds = HoldActions(engine: engine)
        placer = HoldPointPlacer(engine: engine)
    }

    /// Runs until the user quits. `pids` are already attached; the first is shown.
    func run(attachedTo pids: [Int32]) {
        if let first = pids.first {
            enterMain(first)
            log("attached to \(first) \(commandLine(first))", kind: .process)
            for other in pids.dropFirst() {
                watched.add(other)
                log("attached to \(other) \(commandLine(other)) as well", kind: .process)
            }
        } else {
            enterPicker()
        }
        while running {
            let now = Clock.now()
            if now >= nextRefresh {
                refresh()
                nextRefresh = now + (state.screen == .picker ? 1 : state.status.interval)
            }
            handleEngineEvents()
            drawNow()
            let wait = max(10, min(200, Int((nextRefresh - Clock.now()) * 1000)))
            guard let key = terminal.readKey(timeoutMilliseconds: wait) else { continue }
            if key == .resize { terminal.invalidate() }
            let outcome = state.handle(key)
            if let command = outcome.command { execute(command) }
        }
        blocking { [engine] in await engine.close() }
        terminal.stop()
    }

    /// Draws the screen as it is now, before a command that takes a while.
    func drawNow() {
        let (width, height) = terminal.size
        terminal.draw(state.render(width: width, height: height))
    }

    /// Refresh within `seconds`, or sooner if one is due already.
    func refresh(within seconds: Double) {
        nextRefresh = min(nextRefresh, Clock.now() + seconds)
    }
}
