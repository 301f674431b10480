/// What the controller must do after a key; the inspector never acts itself.
public enum InspectorCommand: Hashable, Sendable {
    case attach(Int32)
    case switchProcess(Int32)
    case detach
    case quit
    /// Set or clear the hold flag at `address` (its display name for messages).
    case toggleFlag(name: String, address: UInt64)
    /// `b` opened its prompt: the controller gives it `pid`'s function names
    /// for completion (`InspectorState.setPointNames`).
    case openPointPrompt(pid: Int32)
    /// Set a hold point in `pid` at `location` (as `hold --at` takes it),
    /// parking only threads whose name matches `threadPattern` when given.
    case addHoldPoint(pid: Int32, location: String, threadPattern: String?)
    /// Take the point out; the threads it parked run on.
    case removeHoldPoint(id: Int)
    /// Release these held threads (a grouped row stands for several).
    case releaseThreads([Int32])
    case toggleHoldNew
    case togglePause
    /// The new refresh interval in seconds.
    case setInterval(Double)
    /// Detach, run gdb on `pid` with `thread` selected (its tid), attach again.
    case handToGDB(pid: Int32, thread: Int32?)
    /// Attach to `pid` as well (an untraced child in pane 1) and show it; the
    /// processes already traced stay traced.
    case attachAlso(Int32)
    /// `a` on the main screen: open the picker to add a process to the
    /// session; the processes attached stay attached.
    case openPicker
    /// `a` in the picker: attach `pid` as well; the process shown stays shown.
    case addProcess(Int32)
    /// `f`: go to the other end of a thread's wait: select `tid` when `pid`
    /// is shown; else attach `pid` as well (or show it, if traced) and select `tid`.
    case followWait(pid: Int32, tid: Int32?)
    /// The selected thread changed: fetch its backtrace if it is not cached.
    case selectThread(Int32)
    /// Threads are shown grouped by identical stacks (or not): the groups
    /// need whole stacks, not just the innermost frames.
    case setGrouping(Bool)
    /// Enter on a frame in pane 3: show its values and source.
    case showFrame(tid: Int32, frame: Int)
}

/// htop's HandlerResult: whether a key was used and whether the screen changed.
public struct KeyResult: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let handled = KeyResult(rawValue: 1)
    public static let redraw = KeyResult(rawValue: 2)
    public static let ignored: KeyResult = []
}

/// A key's result and, at most, one command for the controller.
public struct KeyOutcome: Hashable, Sendable {
    public var result: KeyResult
    public var command: InspectorCommand?

    public init(_ result: KeyResult, _ command: InspectorCommand? = nil) {
        self.result = result
        self.command = command
    }

    public static let ignored = KeyOutcome(.ignored)
    public static let redraw = KeyOutcome([.handled, .redraw])
    public static func command(_ command: InspectorCommand?) -> KeyOutcome { KeyOutcome([.handled, .redraw], command) }
}
