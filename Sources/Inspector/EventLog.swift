/// How much of the event log is kept: the newest entries, enough for a long
/// session's forks, exits and messages without growing without bound.
enum EventLog {
    static let capacity = 2000

    /// Adds `entries` at the end of `log`, dropping the oldest beyond `capacity`.
    static func append(_ entries: [EventLogEntry], to log: inout [EventLogEntry]) {
        log.append(contentsOf: entries.suffix(capacity))
        if log.count > capacity { log.removeFirst(log.count - capacity) }
    }
}
