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
        parse(bytes: Array(text.utf8))
    }

    /// The same from the file's bytes, without a String per field: a
    /// thousand threads' stat files are read every refresh.
    public static func parse(bytes: [UInt8]) -> TaskStat? {
        bytes.withUnsafeBufferPointer { parse($0) }
    }

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> TaskStat? {
        guard let open = bytes.firstIndex(of: UInt8(ascii: "(")),
              let close = bytes.lastIndex(of: UInt8(ascii: ")")), close > open,
              let id = number(bytes[0..<open]).flatMap({ Int32(exactly: $0) })
        else { return nil }
        let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[(open + 1)..<close]), as: UTF8.self)
        // Fields after ")" are numbered from 3 (state) in proc(5); 39 is the last one read.
        var fields: [Range<Int>] = []
        fields.reserveCapacity(40)
        var index = close + 1
        while index < bytes.count, fields.count < 37 {
            while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A { index += 1 }
            let start = index
            while index < bytes.count, bytes[index] != 0x20, bytes[index] != 0x0A { index += 1 }
            if index > start { fields.append(start..<index) }
        }
        func field(_ number: Int) -> Slice<UnsafeBufferPointer<UInt8>>? {
            let position = number - 3
            return position < fields.count ? bytes[fields[position]] : nil
        }
        func unsigned(_ number: Int) -> UInt64? { field(number).flatMap(Self.number) }
        func signed(_ number: Int) -> Int64? {
            guard let text = field(number) else { return nil }
            if text.first == UInt8(ascii: "-") { return Self.number(text.dropFirst()).flatMap { Int64(exactly: $0) }.map { -$0 } }
            return Self.number(text).flatMap { Int64(exactly: $0) }
        }
        guard let state = field(3)?.first,
              let parentID = signed(4).flatMap({ Int32(exactly: $0) }),
              let flags = unsigned(9).flatMap({ UInt32(exactly: $0) }),
              let userTicks = unsigned(14), let systemTicks = unsigned(15),
              let threadCount = signed(20).flatMap({ Int(exactly: $0) }),
              let startTicks = unsigned(22), let residentPages = signed(24)
        else { return nil }
        let lastCPU = signed(39).flatMap { Int(exactly: $0) } ?? 0
        return TaskStat(
            id: id, name: name, state: TaskState(letter: Character(Unicode.Scalar(state))), parentID: parentID, flags: flags,
            userTicks: userTicks, systemTicks: systemTicks, threadCount: threadCount,
            startTicks: startTicks, residentPages: residentPages, lastCPU: lastCPU)
    }

    /// Decimal digits, spaces around them allowed; nil for anything else or overflow.
    private static func number(_ text: Slice<UnsafeBufferPointer<UInt8>>) -> UInt64? {
        var value: UInt64 = 0, digits = 0
        for byte in text where byte != 0x20 && byte != 0x09 && byte != 0x0A {
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            let (times, overflow) = value.multipliedReportingOverflow(by: 10)
            let (sum, carry) = times.addingReportingOverflow(UInt64(byte - 0x30))
            guard !overflow, !carry else { return nil }
            value = sum
            digits += 1
        }
        return digits > 0 ? value : nil
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
