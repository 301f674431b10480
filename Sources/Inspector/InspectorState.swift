/// The whole screen model: which screen is up, its data, the help overlay and
/// the latest message. The controller feeds data in and executes the commands
/// keys return; the driver feeds keys in and draws the grid `render` returns.
/// A value type: nothing here does I/O or knows about curses.
public struct InspectorState: Sendable {
    public enum Screen: Hashable, Sendable {
        /// Choosing a process to attach to (no pid was given).
        case picker
        /// Attached: tree, threads, backtrace and hold flags.
        case main
    }

    public private(set) var screen: Screen
    public var capabilities: Capabilities
    /// Transient: the next key clears it.
    public private(set) var message: StatusMessage?
    public private(set) var helpVisible = false
    public private(set) var log: [EventLogEntry] = []

    private(set) var picker = PickerScreen()
    private(set) var main: MainScreen
    /// The size of the last render; keys need it to know what a page is and
    /// what lies under the mouse.
    private var width = 80
    private var height = 24

    /// Starts on the picker, or on the main screen when `attached` is given.
    public init(capabilities: Capabilities = Capabilities(), attached: InspectorStatus? = nil) {
        self.capabilities = capabilities
        screen = attached == nil ? .picker : .main
        main = MainScreen(status: attached ?? InspectorStatus(pid: 0, command: ""))
    }

    // MARK: Data from the controller

    public mutating func showPicker() {
        screen = .picker
        helpVisible = false
    }

    /// Shows the main screen for `status.pid`; another pid than before starts
    /// with empty panes (the focus and thread sort stay).
    public mutating func showMain(_ status: InspectorStatus) {
        if status.pid != main.status.pid {
            main = MainScreen(status: status, keepingSettingsOf: main)
        } else {
            main.setStatus(status)
        }
        screen = .main
        helpVisible = false
    }

    /// Shows the main screen for another process; how it is watched (paused,
    /// interval, hold-new, the last stall) carries over until changed.
    public mutating func showMain(pid: Int32, command: String) {
        var next = main.status
        next.pid = pid
        next.command = command
        showMain(next)
    }

    public mutating func setProcessList(_ rows: [PickerRow]) { picker.setRows(rows, unicode: capabilities.unicode) }
    public mutating func setStatus(_ status: InspectorStatus) { main.setStatus(status) }

    // How the process is watched: kept here once; the controller reads it
    // back instead of keeping copies of its own.
    public mutating func setPaused(_ paused: Bool) { main.updateStatus { $0.paused = paused } }
    public mutating func setHoldingNew(_ on: Bool) { main.updateStatus { $0.holdingNew = on } }
    public mutating func setStall(microseconds: Int?) { main.updateStatus { $0.stallMicroseconds = microseconds } }
    /// The shown process's command line, which an exec changes.
    public mutating func setCommand(_ command: String) { main.updateStatus { $0.command = command } }
    public mutating func setProcessTree(_ rows: [ProcessTreeRow]) { main.setProcessTree(rows, unicode: capabilities.unicode) }

    /// New threads from a snapshot. The selection stays on its thread; when
    /// it moves (first snapshot, or the thread has gone) the new thread's tid
    /// comes back as `.selectThread` so its backtrace can be fetched.
    @discardableResult
    public mutating func setThreads(_ rows: [ThreadRow]) -> InspectorCommand? { main.setThreads(rows) }

    public mutating func setBacktrace(_ backtrace: Backtrace) { main.setBacktrace(backtrace) }
    /// Forgets every cached backtrace, e.g. when the threads have run since.
    public mutating func clearBacktraces() { main.clearBacktraces() }
    public mutating func setHoldFlags(_ rows: [HoldFlagRow]) { main.setHoldFlags(rows) }
    public mutating func showMessage(_ message: StatusMessage?) { self.message = message }

    /// Events for the log (`l`), oldest first; the log keeps the latest
    /// `EventLog.capacity`.
    public mutating func appendLog(_ entries: [EventLogEntry]) { log.append(contentsOf: entries) }

    // MARK: What the controller may ask

    public var status: InspectorStatus { main.status }
    /// Threads shown by stack group (`c`): every refresh then needs whole stacks.
    public var isGrouping: Bool { main.threads.grouped }
    public var focusedPane: PaneID { main.focus }
    public var selectedThreadID: Int32? { main.threads.selectedTID }
    public var selectedPickerPID: Int32? { picker.selectedProcess?.pid }

    // MARK: Keys

    public mutating func handle(_ key: KeyEvent) -> KeyOutcome {
        if key == .resize { return .redraw }
        message = nil
        if helpVisible {
            helpVisible = false
            return .redraw
        }
        let typing = screen == .picker ? picker.isTypingFilter : main.isTypingFilter
        if key == .function(1) || (key == .character("?") && !typing) {
            helpVisible = true
            return .redraw
        }
        // A click on the key bar acts as that key.
        if case .mouse(let x, let y, .leftClick) = key, y == height - 1, !typing,
           let item = KeyBar.item(atX: x, keyBarItems, width: width) {
            return handle(item.event)
        }
        switch screen {
        case .picker: return picker.handle(key, width: width, height: height, message: &message)
        case .main: return main.handle(key, width: width, height: height, message: &message)
        }
    }

    private var keyBarItems: [KeyBarItem] {
        screen == .picker ? picker.keyBarItems : main.keyBarItems
    }

    // MARK: Drawing

    /// Draws the whole screen at this size. Mutating because it also
    /// remembers the size and scrolls lists to keep their selection visible.
    public mutating func render(width: Int, height: Int) -> CellGrid {
        self.width = max(0, width)
        self.height = max(0, height)
        var grid = CellGrid(width: width, height: height)
        let context = DrawContext(capabilities: capabilities)
        switch screen {
        case .picker: picker.draw(into: &grid, message: message, context: context)
        case .main: main.draw(into: &grid, message: message, context: context)
        }
        if helpVisible {
            HelpOverlay.draw(screen == .picker ? HelpOverlay.pickerKeys : HelpOverlay.mainKeys, into: &grid,
                             context: context)
        }
        return grid
    }
}
