/// A thread of some process, as the wait checks name it.
public struct ThreadKey: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var pid: Int32
    public var tid: Int32

    public init(pid: Int32, tid: Int32) { (self.pid, self.tid) = (pid, tid) }

    public static func < (a: ThreadKey, b: ThreadKey) -> Bool { (a.pid, a.tid) < (b.pid, b.tid) }
    public var description: String { "\(pid)/\(tid)" }
}

/// One holder at the other end of a wait: `waitsOn.peers[]`.
public struct PeerFacts: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var pid: Int32
    public var command: String
    public var fd: Int32?
    public var tid: Int32?

    public init(pid: Int32, command: String, fd: Int32? = nil, tid: Int32? = nil) {
        (self.pid, self.command, self.fd, self.tid) = (pid, command, fd, tid)
    }

    public static func < (a: PeerFacts, b: PeerFacts) -> Bool { (a.pid, a.fd ?? -1, a.tid ?? -1) < (b.pid, b.fd ?? -1, b.tid ?? -1) }
    public var description: String {
        "{pid \(pid) \(command) fd \(fd.map(String.init) ?? "-") tid \(tid.map(String.init) ?? "-")}"
    }
}

/// The fields of `waitsOn` a check compares, from lwpscope (its ThreadWait or
/// its JSON) or from /proc and ss (what they must be).
public struct WaitFacts: Equatable, Sendable {
    public var syscall: String
    public var fd: Int32?
    public var object: String?
    public var path: String?
    public var address: String?
    /// Sorted, so the order lwpscope lists them in does not matter.
    public var peers: [PeerFacts]
    public var owner: Int32?
    public var ownerPid: Int32?
    /// Sorted.
    public var watching: [Int32]

    public init(syscall: String, fd: Int32? = nil, object: String? = nil, path: String? = nil, address: String? = nil,
                peers: [PeerFacts] = [], owner: Int32? = nil, ownerPid: Int32? = nil, watching: [Int32] = []) {
        (self.syscall, self.fd, self.object, self.path, self.address) = (syscall, fd, object, path, address)
        (self.peers, self.owner, self.ownerPid, self.watching) = (peers.sorted(), owner, ownerPid, watching.sorted())
    }

    /// A `waitsOn` JSON object (JSONSerialization's dictionary); nil when it is not one.
    public init?(json: Any?) {
        guard let object = json as? [String: Any], let syscall = object["syscall"] as? String else { return nil }
        func int32(_ value: Any?) -> Int32? { (value as? Int).map(Int32.init) }
        let peers = (object["peers"] as? [[String: Any]] ?? []).map { peer in
            PeerFacts(pid: int32(peer["pid"]) ?? -1, command: peer["command"] as? String ?? "?",
                      fd: int32(peer["fd"]), tid: int32(peer["tid"]))
        }
        self.init(syscall: syscall, fd: int32(object["fd"]), object: object["object"] as? String,
                  path: object["path"] as? String, address: object["address"] as? String, peers: peers,
                  owner: int32(object["owner"]), ownerPid: int32(object["ownerPid"]),
                  watching: (object["watching"] as? [Int] ?? []).map(Int32.init))
    }

    /// Each field that differs, as "field: got X, want Y".
    public func differences(from expected: WaitFacts) -> [String] {
        var out: [String] = []
        func compare<T: Equatable>(_ name: String, _ got: T, _ want: T) {
            if got != want { out.append("\(name): got \(String(describing: got)), want \(String(describing: want))") }
        }
        compare("syscall", syscall, expected.syscall)
        compare("fd", fd, expected.fd)
        compare("object", object, expected.object)
        compare("path", path, expected.path)
        compare("address", address, expected.address)
        compare("peers", peers, expected.peers)
        compare("owner", owner, expected.owner)
        compare("ownerPid", ownerPid, expected.ownerPid)
        compare("watching", watching, expected.watching)
        return out
    }
}

/// A wait-for edge: `from` waits on `toPid` (its thread `toTid` when known) through `via`.
public struct EdgeFacts: Hashable, Sendable, CustomStringConvertible {
    public var from: ThreadKey
    public var toPid: Int32
    public var toTid: Int32?
    public var via: String

    public init(from: ThreadKey, toPid: Int32, toTid: Int32?, via: String) {
        (self.from, self.toPid, self.toTid, self.via) = (from, toPid, toTid, via)
    }

    public var description: String { "\(from) -\(via)-> \(toPid)/\(toTid.map(String.init) ?? "*")" }
}

/// What lwpscope said about the pair: each thread's wait (absent: running),
/// the edges and the cycles.
public struct WaitObservation: Sendable {
    public var waits: [ThreadKey: WaitFacts]
    public var edges: [EdgeFacts]
    public var cycles: [[ThreadKey]]
    /// Every process the analysis read, with its command.
    public var processes: [Int32: String]

    public init(waits: [ThreadKey: WaitFacts], edges: [EdgeFacts] = [], cycles: [[ThreadKey]] = [],
                processes: [Int32: String] = [:]) {
        (self.waits, self.edges, self.cycles, self.processes) = (waits, edges, cycles, processes)
    }
}
