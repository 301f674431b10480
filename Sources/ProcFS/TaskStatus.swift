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
        return TaskStatus(
            name: fields["Name"].map(String.init) ?? "",
            state: TaskState(letter: letter), threadGroupID: tgid, parentID: ppid,
            tracerID: tracer, realUserID: uid, threadCount: number("Threads") ?? 1)
    }
}
