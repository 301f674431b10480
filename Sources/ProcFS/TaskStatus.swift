/// The fields of /proc/PID/status that decide whether we may attach.
public struct TaskStatus: Equatable, Sendable {
    public var name: String
    public var state: TaskState
    public var threadGroupID: Int32
    public var parentID: Int32
    /// Non-zero when another process traces this task.
    public var tracerID: Int32
    public var realUserID: UInt32
    public var threadCount: Int
    /// Signals with a handler (SigCgt) and ignored (SigIgn): bit N-1 for signal N.
    public var caughtSignals: UInt64 = 0
    public var ignoredSignals: UInt64 = 0
    /// The pid in each pid namespace it is in, outermost first (NSpid); the
    /// last is the pid inside its container.
    public var namespacePIDs: [Int32] = []

    /// The signal has a handler or is ignored: it will not kill the process as it stands.
    public func handlesOrIgnores(_ signal: Int32) -> Bool {
        guard signal > 0, signal <= 64 else { return false }
        let bit = UInt64(1) << UInt64(signal - 1)
        return (caughtSignals | ignoredSignals) & bit != 0
    }
}

public enum TaskStatusParser {
    public static func parse(_ text: String) -> TaskStatus? {
        var fields: [Substring: Substring] = [:]
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon]
            var value = line[line.index(after: colon)...]
            while let first = value.first, first == " " || first == "\t" { value.removeFirst() }
            fields[key] = value
        }
        func number<T: FixedWidthInteger>(_ key: Substring, _: T.Type = T.self) -> T? {
            guard let value = fields[key] else { return nil }
            let firstWord = value.split(whereSeparator: { $0 == " " || $0 == "\t" }).first ?? value
            return T(firstWord)
        }
        guard let stateText = fields["State"], let letter = stateText.first,
              let tgid: Int32 = number("Tgid"), let ppid: Int32 = number("PPid"),
              let tracer: Int32 = number("TracerPid"), let uid: UInt32 = number("Uid")
        else { return nil }
        func mask(_ key: Substring) -> UInt64 { fields[key].flatMap { UInt64($0, radix: 16) } ?? 0 }
        var status = TaskStatus(
            name: fields["Name"].map(String.init) ?? "",
            state: TaskState(letter: letter), threadGroupID: tgid, parentID: ppid,
            tracerID: tracer, realUserID: uid, threadCount: number("Threads") ?? 1)
        status.caughtSignals = mask("SigCgt")
        status.ignoredSignals = mask("SigIgn")
        status.namespacePIDs = fields["NSpid"].map { $0.split(whereSeparator: { $0 == " " || $0 == "\t" }).compactMap { Int32($0) } } ?? []
        return status
    }
}
