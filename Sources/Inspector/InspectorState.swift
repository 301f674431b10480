/// The whole screen model: which screen is up, its data, the overlay (help or
/// the event log) and the latest message. The controller feeds data in and executes the commands
/// keys return; the driver feeds keys in and draws the grid `render` returns.
/// A value type: nothing here does I/O or knows about curses.
public struct InspectorState: Sendable {
    public enum Screen: Hashable, Sendable {
        /// Choosing a process to attach to (no pid was given).
        case picker
        /// Attached: tree, threads, backtrace and hold flags.
        case main
    }

    /// What is drawn over either screen until closed.
    public enum Overlay: Hashable, Sendable {
        /// The keys (`?`, F1).
        case help
        /// Events and messages so far (`l`).
        case log
        /// One frame's values and source (Enter in pane 3).
        case frame
    }

    public internal(set) var screen: Screen
    public var capabilities: Capabilities
    /// Transient: the next key clears it. Every message shown is logged too.
    public internal(set) var message: StatusMessage? {
        didSet { if let message, message != oldValue { logMessage(message) } }
    }
    public internal(set) var overlay: Overlay?
    public var helpVisible: Bool { overlay == .help }
    /// Events and messages, oldest first; at most `EventLog.capacity`.
    public private(set) var log: [EventLogEntry] = []
    /// The wall-clock time of day for log entries (`14:03:27`). The state
    /// has no clock of its own: the controller gives it one, tests a fixed one.
    public var clock: @Sendable () -> String

    internal(set) var picker = PickerScreen()
    internal(set) var main: MainScreen
    /// The size of the last render; keys need it to know what a page is and
    /// what lies under the mouse.
    var width = 80
    var height = 24
    /// The rows the last render gave the message, at the bottom (none without one).
    var messageRows = 0
    /// The rows the screen under the message had: a wrapped message shortens it.
    var screenHeight: Int { height - max(0, messageRows - 1) }
    var helpScroll = TextScroll()
    var logScroll = TextScroll(pinnedToEnd: true)
    /// What the frame overlay shows, while it is open.
    var frameDetail: FrameDetail?
    var frameScroll = TextScroll()

    /// Starts on the picker, or on the main screen when `attached` is given.
    public init(capabilities: Capabilities = Capabilities(), attached: InspectorStatus? = nil,
                clock: @escaping @Sendable () -> String = { "" }) {
        self.capabilities = capabilities
        self.clock = clock
        screen = attached == nil ? .picker : .main
        main = MainScreen(status: attached ?? InspectorStatus(pid: 0, command: ""))
    }

    // MARK: Data from the controller

    /// - addingToSession: opened from the main screen (`a`): the processes
    ///   attached stay, Esc goes back to them, and the main screen keeps its panes.
    public mutating func showPicker(addingToSession: Bool = false) {
        screen = .picker
        picker.addingToSession = addingToSession
        if overlay == .help { overlay = nil }
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
        // The help was for the other screen; the log is the same on both.
        if overlay == .help { overlay = nil }
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

    /// Selects `tid` in the thread table and focuses it (where `f` lands);
    /// false when the table has no such thread. Its backtrace is then the
    /// controller's to fetch.
    @discardableResult
    public mutating func selectThread(tid: Int32) -> Bool { main.select(tid: tid) }

    public mutating func setBacktrace(_ backtrace: Backtrace) { main.setBacktrace(backtrace) }

    /// Opens the frame overlay on `detail`, its marked line in the middle.
    public mutating func showFrame(_ detail: FrameDetail) {
        frameDetail = detail
        frameScroll = TextScroll(top: FrameOverlay.initialTop(detail, width: width, height: screenHeight, unicode: capabilities.unicode))
        overlay = .frame
    }

    public var frameShown: FrameDetail? { overlay == .frame ? frameDetail : nil }
    /// Forgets every cached backtrace, e.g. when the threads have run since.
    public mutating func clearBacktraces() { main.clearBacktraces() }
    public mutating func setHoldFlags(_ rows: [HoldFlagRow]) { main.setHoldFlags(rows) }
    /// The function names `b`'s Tab completes (any order; duplicates go).
    public mutating func setPointNames(_ names: [String]) { main.setPointNames(Array(Set(names)).sorted()) }
    /// Shows `message` on the message line until the next key, and logs it
    /// (at `clock()`, as `kind`: a release is a `.hold` line, not a message).
    public mutating func showMessage(_ message: StatusMessage?, loggedAs kind: EventLogEntry.Kind = .message) {
        messageKind = kind
        self.message = message
        messageKind = .message
    }

    /// How the message being set is logged.
    private var messageKind = EventLogEntry.Kind.message

    /// Events for the log (`l`), oldest first; the log keeps the latest
    /// `EventLog.capacity`.
    public mutating func appendLog(_ entries: [EventLogEntry]) { EventLog.append(entries, to: &log) }

    private mutating func logMessage(_ message: StatusMessage) {
        appendLog([EventLogEntry(time: clock(), kind: messageKind, text: message.text, severity: message.severity)])
    }

    // MARK: What the controller may ask

    public var status: InspectorStatus { main.status }
    /// Threads shown by stack group (`c`): every refresh then needs whole stacks.
    public var isGrouping: Bool { main.threads.grouped }
    public var focusedPane: PaneID { main.focus }
    public var selectedThreadID: Int32? { main.threads.selectedTID }
    public var selectedPickerPID: Int32? { picker.selectedProcess?.pid }
    /// The picker was opened to add a process to a running session.
    public var pickerAddsToSession: Bool { picker.addingToSession }
}
