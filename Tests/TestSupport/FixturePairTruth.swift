import Foundation
import ProcFS
#if canImport(Glibc)
import Glibc
#endif

/// What every thread of the running wait fixture pair waits on, found the
/// long way round: each thread's /proc/PID/task/TID/syscall, the descriptor
/// links and fdinfo, `ss -x` and `ss -t` for socket peers, every process's
/// descriptors for pipe writers, the mutex words in /proc/PID/mem. Built
/// once per test; `mismatches` scores what lwpscope said against it.
public struct FixturePairTruth: Sendable {
    /// Each thread of both processes with a label for messages ("daemon lock-a").
    public var labels: [ThreadKey: String] = [:]
    /// Each thread's wait; nil for a running thread (held-worker).
    public var expected: [ThreadKey: WaitFacts?] = [:]
    public var edges: Set<EdgeFacts> = []
    /// Each cycle starting at its lowest thread, in wait order.
    public var cycles: [[ThreadKey]] = []
    public let client: Int32, daemon: Int32, daemonChild: Int32

    public static let daemonThreadNames = [
        "fixture-daemon", "pipe-reader", "unix-reader", "tcp-reader", "acceptor", "lock-a", "lock-b",
        "held-worker", "mutex-waiter", "cycle-reader", "cond-waiter", "epoll-waiter",
    ]
    public static let clientThreadNames = ["fixture-client", "cycle-reader"]

    public init(pair: WaitFixturePair) throws {
        client = pair.client
        daemon = pair.daemon
        daemonChild = try pair.daemonChild()
        let reading = try TruthReader(pair: pair)
        for name in Self.daemonThreadNames { labels[try reading.key(pair.daemon, name)] = "daemon \(name)" }
        for name in Self.clientThreadNames { labels[try reading.key(pair.client, name)] = "client \(name)" }
        let d = { (name: String) in try reading.key(pair.daemon, name) }
        let c = { (name: String) in try reading.key(pair.client, name) }

        guard ProcFS().syscall(pair.daemon, thread: try d("held-worker").tid) == .running else {
            throw TestFailure("ground truth: held-worker is not running")
        }
        expected[try d("held-worker")] = .some(nil)
        expected[try d("fixture-daemon")] = try reading.childWait(d("fixture-daemon"), child: daemonChild)
        expected[try d("pipe-reader")] = try reading.pipeWait(d("pipe-reader"))
        for name in ["unix-reader", "cycle-reader"] { expected[try d(name)] = try reading.unixWait(d(name), syscall: 0) }
        expected[try d("acceptor")] = try reading.unixWait(d("acceptor"), syscall: 288)
        expected[try d("tcp-reader")] = try reading.tcpWait(d("tcp-reader"))
        expected[try d("lock-a")] = try reading.mutexWait(d("lock-a"), owner: d("lock-b"))
        expected[try d("lock-b")] = try reading.mutexWait(d("lock-b"), owner: d("lock-a"))
        expected[try d("mutex-waiter")] = try reading.mutexWait(d("mutex-waiter"), owner: d("held-worker"))
        expected[try d("cond-waiter")] = try reading.condvarWait(d("cond-waiter"))
        expected[try d("epoll-waiter")] = try reading.epollWait(d("epoll-waiter"))
        for name in Self.clientThreadNames { expected[try c(name)] = try reading.unixWait(c(name), syscall: 0) }

        for (key, wait) in expected {
            guard let wait = wait else { continue }
            if let owner = wait.owner, let ownerPid = wait.ownerPid {
                edges.insert(EdgeFacts(from: key, toPid: ownerPid, toTid: owner, via: wait.object ?? "?"))
            }
            for peer in wait.peers { edges.insert(EdgeFacts(from: key, toPid: peer.pid, toTid: peer.tid, via: wait.object ?? "?")) }
        }
        cycles = [
            [try d("lock-a"), try d("lock-b")].sorted(),
            [try c("cycle-reader"), try d("cycle-reader")].sorted(),
        ]
    }

    /// The truth said back as lwpscope would: what a right answer looks like.
    public func observation() -> WaitObservation {
        WaitObservation(waits: expected.compactMapValues { $0 }, edges: Array(edges), cycles: cycles,
                        processes: [client: "fixture-client", daemon: "fixture-daemon"])
    }

    public func label(_ key: ThreadKey) -> String { labels[key].map { "\($0) (\(key))" } ?? "\(key)" }

    /// Everything `observed` gets wrong about the threads in `scope` (all of
    /// both processes by default): each wait field by field, a wait where the
    /// thread runs or none where it waits, a missing or extra edge from them,
    /// a missing cycle among them, any cycle that is not one of the pair's.
    public func mismatches(_ observed: WaitObservation, scope: Set<ThreadKey>? = nil, checkEdges: Bool = true) -> [String] {
        let scope = scope ?? Set(expected.keys)
        var out: [String] = []
        for key in scope.sorted() {
            let want = expected[key] ?? nil
            switch (observed.waits[key], want) {
            case (nil, nil): break
            case (let got?, nil): out.append("\(label(key)): runs, but lwpscope says it waits in \(got.syscall)")
            case (nil, let want?): out.append("\(label(key)): waits in \(want.syscall), but lwpscope has no wait")
            case (let got?, let want?): out += got.differences(from: want).map { "\(label(key)): \($0)" }
            }
        }
        if checkEdges {
            let observedEdges = Set(observed.edges.filter { scope.contains($0.from) })
            let wantedEdges = edges.filter { scope.contains($0.from) }
            for edge in wantedEdges.subtracting(observedEdges) { out.append("missing edge \(label(edge.from)) \(edge)") }
            for edge in observedEdges.subtracting(wantedEdges) { out.append("extra edge \(label(edge.from)) \(edge)") }
        }
        for cycle in cycles where cycle.allSatisfy(scope.contains) && !observed.cycles.contains(cycle) {
            out.append("missing cycle \(cycle.map(label)), got \(observed.cycles)")
        }
        for cycle in observed.cycles where !cycles.contains(cycle) {
            out.append("cycle \(cycle.map(label)) is not one of the pair's \(cycles)")
        }
        return out
    }
}
