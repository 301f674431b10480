/// The fields of /proc/PID/stat (or /proc/PID/task/TID/stat) that lwpscope uses.
public struct TaskStat: Equatable, Sendable {
    public var id: Int32
    /// The task's comm, which may itself contain spaces and parentheses.
    public var name: String
    public var state: TaskState
    public var parentID: Int32
    /// Kernel task flags (PF_*); PF_KTHREAD marks a kernel thread.
    public var flags: UInt32
    /// User and system CPU time in clock ticks.
    public var userTicks: UInt64
    public var systemTicks: UInt64
    public var threadCount: Int
    /// Start time in clock ticks after boot.
    public var startTicks: UInt64
    public var residentPages: Int64
    /// The CPU the task last ran on.
    public var lastCPU: Int

    public var isKernelThread: Bool { flags & 0x0020_0000 != 0 }
}

/// A task's scheduling state, the letter in /proc/PID/stat.
public enum TaskState: Equatable, Sendable {
    case running, sleeping, diskSleep, stopped, tracingStop, zombie, dead, idle, other(Character)

    public init(letter: Character) {
        switch letter {
        case "R": self = .running
        case "S": self = .sleeping
        case "D": self = .diskSleep
        case "T": self = .stopped
        case "t": self = .tracingStop
        case "Z": self = .zombie
        case "X", "x": self = .dead
        case "I": self = .idle
        default: self = .other(letter)
        }
    }

    public var letter: Character {
        switch self {
        case .running: "R"
        case .sleeping: "S"
        case .diskSleep: "D"
        case .stopped: "T"
        case .tracingStop: "t"
        case .zombie: "Z"
        case .dead: "X"
        case .idle: "I"
        case .other(let c): c
        }
    }
}

public enum TaskStatParser {
    /// Parses the text of a stat file. The comm sits between the first "(" and
    /// the *last* ")", because comm itself may contain ")" and spaces.
    public static func parse(_ text: String) -> TaskStat? {
        let bytes = Array(text.utf8)
        guard let open = bytes.firstIndex(of: UInt8(ascii: "(")),
              let close = bytes.lastIndex(of: UInt8(ascii: ")")), close > open
        else { return nil }
        let idText = String(decoding: bytes[0..<open], as: UTF8.self).trimmingSpaces()
        guard let id = Int32(idText) else { return nil }
        let name = String(decoding: bytes[(open + 1)..<close], as: UTF8.self)
        // Fields after ")" are numbered from 3 (state) in proc(5).
        let rest = bytes[(close + 1)...].split(separator: UInt8(ascii: " "), omittingEmptySubsequences: true)
            .map { String(decoding: $0, as: UTF8.self) }
        func field(_ number: Int) -> String? {
            let index = number - 3
            return index < rest.count ? rest[index].trimmingSpaces() : nil
        }
        guard let stateText = field(3), let letter = stateText.first,
              let parentID = field(4).flatMap({ Int32($0) }),
              let flags = field(9).flatMap({ UInt32($0) }),
              let userTicks = field(14).flatMap({ UInt64($0) }),
              let systemTicks = field(15).flatMap({ UInt64($0) }),
              let threadCount = field(20).flatMap({ Int($0) }),
              let startTicks = field(22).flatMap({ UInt64($0) }),
              let residentPages = field(24).flatMap({ Int64($0) })
        else { return nil }
        let lastCPU = field(39).flatMap { Int($0) } ?? 0
        return TaskStat(
            id: id, name: name, state: TaskState(letter: letter), parentID: parentID, flags: flags,
            userTicks: userTicks, systemTicks: systemTicks, threadCount: threadCount,
            startTicks: startTicks, residentPages: residentPages, lastCPU: lastCPU)
    }
}

extension String {
    func trimmingSpaces() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
