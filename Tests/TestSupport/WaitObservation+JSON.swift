import Foundation

/// lwpscope's JSON (`threads --json`, `graph --json`) in the terms the
/// fixture pair's checks compare (FixturePairTruth).
extension WaitObservation {
    /// `threads PID --json`: {"pid", "threads": [{"tid", "waitsOn"}], "cycles"}.
    public init(threadsJSON json: [String: Any]) {
        let pid = Self.int32(json["pid"]) ?? -1
        var waits: [ThreadKey: WaitFacts] = [:]
        for thread in json["threads"] as? [[String: Any]] ?? [] {
            guard let tid = Self.int32(thread["tid"]), let wait = WaitFacts(json: thread["waitsOn"]) else { continue }
            waits[ThreadKey(pid: pid, tid: tid)] = wait
        }
        self.init(waits: waits, cycles: Self.cycles(json["cycles"]))
    }

    /// `graph PID --json`: {"processes": [{"pid", "command", "threads": [{"tid", "waitsOn"}]}], "edges", "cycles"}.
    public init(graphJSON json: [String: Any]) {
        var waits: [ThreadKey: WaitFacts] = [:]
        var processes: [Int32: String] = [:]
        for process in json["processes"] as? [[String: Any]] ?? [] {
            guard let pid = Self.int32(process["pid"]) else { continue }
            processes[pid] = process["command"] as? String
            for thread in process["threads"] as? [[String: Any]] ?? [] {
                guard let tid = Self.int32(thread["tid"]), let wait = WaitFacts(json: thread["waitsOn"]) else { continue }
                waits[ThreadKey(pid: pid, tid: tid)] = wait
            }
        }
        let edges = (json["edges"] as? [[String: Any]] ?? []).compactMap { edge -> EdgeFacts? in
            guard let from = edge["from"] as? [String: Any], let to = edge["to"] as? [String: Any],
                  let fromPid = Self.int32(from["pid"]), let fromTid = Self.int32(from["tid"]),
                  let toPid = Self.int32(to["pid"]), let via = edge["via"] as? String else { return nil }
            return EdgeFacts(from: ThreadKey(pid: fromPid, tid: fromTid), toPid: toPid, toTid: Self.int32(to["tid"]), via: via)
        }
        self.init(waits: waits, edges: edges, cycles: Self.cycles(json["cycles"]), processes: processes)
    }

    static func cycles(_ json: Any?) -> [[ThreadKey]] {
        (json as? [[[String: Any]]] ?? []).map { cycle in
            cycle.map { ThreadKey(pid: int32($0["pid"]) ?? -1, tid: int32($0["tid"]) ?? -1) }
        }
    }

    static func int32(_ value: Any?) -> Int32? { (value as? Int).map(Int32.init) }
}

/// The ptrace calls in an `strace -f -e trace=ptrace -o FILE` log: what a
/// command that must not trace anything may not contain.
public func ptraceCalls(inStraceLog log: String) -> [String] {
    log.split(separator: "\n").map(String.init).filter { $0.contains("ptrace(") }
}
