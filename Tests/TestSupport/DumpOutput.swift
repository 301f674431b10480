import Foundation

/// What `lwpscope dump PID --json` prints, decoded for comparison:
///
///     {"pid": 1234, "stoppedMicroseconds": 812,
///      "threads": [{"tid": 1235, "name": "worker-1", "state": "S",
///                   "frames": [{"index": 0, "pc": "0x7f3c2a2e8545",
///                               "module": "/usr/lib/x86_64-linux-gnu/libc.so.6",
///                               "function": "clock_nanosleep", "offset": 101}]}]}
///
/// For caller frames `pc` is the return address, as gdb prints it. Fields a
/// comparison does not need are optional, so extra or missing ones do not
/// break decoding.
public struct DumpOutput: Decodable, Equatable, Sendable {
    public var pid: Int32
    public var stoppedMicroseconds: Int?
    public var threads: [DumpThread]

    public init(pid: Int32, stoppedMicroseconds: Int? = nil, threads: [DumpThread]) {
        self.pid = pid
        self.stoppedMicroseconds = stoppedMicroseconds
        self.threads = threads
    }

    public static func decode(_ json: String) throws -> DumpOutput {
        try JSONDecoder().decode(DumpOutput.self, from: Data(json.utf8))
    }
}

public struct DumpThread: Decodable, Equatable, Sendable {
    public var tid: Int32
    public var name: String?
    public var state: String?
    public var frames: [DumpFrame]

    public init(tid: Int32, name: String? = nil, state: String? = nil, frames: [DumpFrame]) {
        self.tid = tid
        self.name = name
        self.state = state
        self.frames = frames
    }
}

extension DumpThread {
    /// The frames as machine frames: each run of `inline` frames with the
    /// frame that ends it (all at one pc), innermost first, as gdb's
    /// GDBThread.physicalFrames group its own.
    public var machineFrames: [[DumpFrame]] {
        var groups: [[DumpFrame]] = []
        var pending: [DumpFrame] = []
        for frame in frames {
            pending.append(frame)
            if !frame.isInline {
                groups.append(pending)
                pending = []
            }
        }
        if !pending.isEmpty { groups.append(pending) }
        return groups
    }
}

public struct DumpFrame: Decodable, Equatable, Sendable {
    public var index: Int
    public var pc: UInt64
    public var module: String?
    public var function: String?
    public var offset: Int?
    /// The source position, from DWARF (the call's, `pc - 1`, for callers).
    public var file: String?
    public var line: Int?
    /// A function inlined into the next frame, which has the same pc.
    public var isInline: Bool

    public init(index: Int, pc: UInt64, module: String? = nil, function: String? = nil, offset: Int? = nil,
                file: String? = nil, line: Int? = nil, isInline: Bool = false) {
        self.index = index
        self.pc = pc
        self.module = module
        self.function = function
        self.offset = offset
        self.file = file
        self.line = line
        self.isInline = isInline
    }

    /// The function's parameters, as `dump` gives them; nil without DWARF.
    public var arguments: [DumpArgument]? = nil

    enum CodingKeys: String, CodingKey { case index, pc, module, function, offset, file, line, isInline = "inline", arguments }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        index = try container.decode(Int.self, forKey: .index)
        let text = try container.decode(String.self, forKey: .pc)
        guard text.hasPrefix("0x"), let pc = UInt64(text.dropFirst(2), radix: 16) else {
            throw DecodingError.dataCorruptedError(forKey: .pc, in: container, debugDescription: "pc \(text) is not 0x-hex")
        }
        self.pc = pc
        module = try container.decodeIfPresent(String.self, forKey: .module)
        function = try container.decodeIfPresent(String.self, forKey: .function)
        offset = try container.decodeIfPresent(Int.self, forKey: .offset)
        file = try container.decodeIfPresent(String.self, forKey: .file)
        line = try container.decodeIfPresent(Int.self, forKey: .line)
        isInline = try container.decodeIfPresent(Bool.self, forKey: .isInline) ?? false
        arguments = try container.decodeIfPresent([DumpArgument].self, forKey: .arguments)
    }
}

/// One of a frame's arguments: `{"name", "value", "type", "entryValue"?}`.
public struct DumpArgument: Decodable, Equatable, Sendable {
    public var name: String
    public var value: String
    public var type: String?
    public var entryValue: String?

    public init(name: String, value: String, type: String? = nil, entryValue: String? = nil) {
        self.name = name
        self.value = value
        self.type = type
        self.entryValue = entryValue
    }
}
