import Waits

/// The JSON shape of `graph --json`.
struct GraphJSON: Encodable {
    struct Thread: Encodable {
        var tid: Int32
        var name: String
        var state: String
        var function: String?
        var heldBy: String?
        var waitsOn: ThreadWait?

        // Every thread has the same keys: nil is written as null.
        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(tid, forKey: .tid)
            try c.encode(name, forKey: .name)
            try c.encode(state, forKey: .state)
            try c.encode(function, forKey: .function)
            try c.encode(heldBy, forKey: .heldBy)
            try c.encode(waitsOn, forKey: .waitsOn)
        }

        enum CodingKeys: String, CodingKey { case tid, name, state, function, heldBy, waitsOn }
    }

    struct Process: Encodable {
        var pid: Int32
        var command: String
        var threads: [Thread]
        var error: String?
    }

    var processes: [Process]
    var edges: [WaitEdge]
    var cycles: [[ThreadRef]]

    init(_ graph: GatheredGraph) {
        let report = graph.report
        processes = graph.processes.map { process in
            Process(
                pid: process.pid, command: process.command,
                threads: process.threads.map { thread in
                    Thread(
                        tid: thread.tid, name: thread.name, state: thread.state, function: thread.function,
                        heldBy: thread.heldBy, waitsOn: report.wait(pid: process.pid, tid: thread.tid))
                },
                error: process.error)
        }
        edges = report.edges
        cycles = report.cycles
    }
}
