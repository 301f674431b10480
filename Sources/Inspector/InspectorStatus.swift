/// The attached process and how lwpscope is watching it, for the status line.
public struct InspectorStatus: Hashable, Sendable {
    public var pid: Int32
    public var command: String
    public var paused: Bool
    /// Seconds between snapshots.
    public var interval: Double
    /// How long the last snapshot kept the process stopped.
    public var stallMicroseconds: Int?
    /// Whether new threads and children are held at birth.
    public var holdingNew: Bool

    public init(pid: Int32, command: String, paused: Bool = false, interval: Double = 1,
                stallMicroseconds: Int? = nil, holdingNew: Bool = false) {
        self.pid = pid
        self.command = command
        self.paused = paused
        self.interval = interval
        self.stallMicroseconds = stallMicroseconds
        self.holdingNew = holdingNew
    }
}

/// A one-off line for the user: an error from the engine, or why a key did nothing.
public struct StatusMessage: Hashable, Sendable {
    public enum Severity: Hashable, Sendable { case info, warning, error }

    public var text: String
    public var severity: Severity

    public init(_ text: String, severity: Severity = .info) {
        self.text = text
        self.severity = severity
    }
}
