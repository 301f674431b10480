import Backtraces

/// The JSON shape of `dump --json`.
struct DumpReport: Encodable {
    struct Frame: Encodable {
        var index: Int
        var pc: String
        var module: String?
        var function: String?
        var offset: UInt64

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(index, forKey: .index)
            try c.encode(pc, forKey: .pc)
            try c.encode(module, forKey: .module)
            try c.encode(function, forKey: .function)
            try c.encode(offset, forKey: .offset)
        }

        enum CodingKeys: String, CodingKey { case index, pc, module, function, offset }
    }

    struct Thread: Encodable {
        var tid: Int32
        var name: String
        var state: String
        var frames: [Frame]
        var stopReason: String?
        var error: String?
    }

    var pid: Int32
    var command: String
    var stoppedMicroseconds: Int
    var threads: [Thread]

    init(_ process: ProcessBacktraces) {
        pid = process.pid
        command = process.command
        stoppedMicroseconds = process.stoppedMicroseconds
        threads = process.threads.map { thread in
            Thread(
                tid: thread.tid, name: thread.name, state: String(thread.state.letter),
                frames: thread.frames.map {
                    Frame(index: $0.index, pc: hex($0.pc), module: $0.module, function: $0.function, offset: $0.offset)
                },
                stopReason: thread.stopReason.isEmpty ? nil : thread.stopReason, error: thread.error)
        }
    }
}
