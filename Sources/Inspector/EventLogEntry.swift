/// One line of the event log (`l`): what happened to the traced processes
/// (fork, exec, exit, a thread born, held, released, a signal passed on) and
/// every message the status line showed, oldest first.
public struct EventLogEntry: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        case process, thread, hold, signal, message
    }

    /// Wall-clock time of day as the controller formats it (`14:03:27`).
    public var time: String
    public var kind: Kind
    public var text: String
    public var severity: StatusMessage.Severity

    public init(time: String, kind: Kind, text: String, severity: StatusMessage.Severity = .info) {
        self.time = time
        self.kind = kind
        self.text = text
        self.severity = severity
    }
}
