import Foundation
import ProcFS
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Issue 14's CLI on the wait fixture pair: `threads --json` gains waitsOn and
/// cycles, `graph` follows the client into the daemon, `graph --no-stop`
/// never traces. Each wait is scored against /proc and ss (FixturePairTruth).
@Suite(.serialized, .timeLimit(.minutes(8))) struct WaitsCommandTests {
    let lwpscope = BuiltProducts.path("lwpscope")

    func json(_ result: RunResult) throws -> [String: Any] {
        try #require(result.exitCode == 0, "exit \(String(describing: result.exitCode)): \(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stdout)")
    }

    /// No thread of `pids` traced or stopped (TracerPid 0, state neither T nor t).
    func untouched(_ pids: [Int32]) -> Bool {
        pids.allSatisfy { pid in
            TaskStates.untraced(pid) && TaskStates.of(pid).allSatisfy { $0.state != .stopped && $0.state != .tracingStop }
        }
    }

    @Test func threadsJSONGivesEachDaemonThreadItsWaitAndTheLockCycle() throws {
        let pair = try WaitFixturePair()
        defer { pair.stop() }
        let truth = try FixturePairTruth(pair: pair)
        let report = try json(try run(lwpscope, ["threads", String(pair.daemon), "--json"]))
        let threads = try #require(report["threads"] as? [[String: Any]])
        #expect(threads.count == FixturePairTruth.daemonThreadNames.count)
        for thread in threads { #expect(thread.keys.contains("waitsOn"), "\(thread)") }
        let held = try pair.tid(pair.daemon, named: "held-worker")
        #expect(threads.first { $0["tid"] as? Int == Int(held) }?["waitsOn"] is NSNull)
        let observed = WaitObservation(threadsJSON: report)
        let daemonThreads = Set(truth.labels.keys.filter { $0.pid == pair.daemon })
        let problems = truth.mismatches(observed, scope: daemonThreads, checkEdges: false)
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        let locks = [try pair.tid(pair.daemon, named: "lock-a"), try pair.tid(pair.daemon, named: "lock-b")]
            .sorted().map { ThreadKey(pid: pair.daemon, tid: $0) }
        #expect(observed.cycles.contains(locks), "\(observed.cycles)")
        #expect(untouched([pair.client, pair.daemon]))
    }

    @Test func threadsTextHasAWaitsOnColumn() throws {
        let pair = try WaitFixturePair()
        defer { pair.stop() }
        let result = try run(lwpscope, ["threads", String(pair.daemon)])
        #expect(result.exitCode == 0, "\(result.stderr)")
        let header = result.stdout.split(separator: "\n").first { $0.hasPrefix("TID") || $0.contains(" TID ") }
        #expect(header?.contains("WAITS ON") == true, "\(result.stdout)")
    }

    @Test func graphJSONFromTheClientReachesTheDaemon() throws {
        let pair = try WaitFixturePair()
        defer { pair.stop() }
        let truth = try FixturePairTruth(pair: pair)
        let graph = try json(try run(lwpscope, ["graph", String(pair.client), "--json"]))
        try checkGraphShape(graph)
        let observed = WaitObservation(graphJSON: graph)
        #expect(observed.processes[pair.client] == "fixture-client" && observed.processes[pair.daemon] == "fixture-daemon",
                "\(observed.processes)")
        let problems = truth.mismatches(observed)
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        #expect(observed.edges.contains(EdgeFacts(from: ThreadKey(pid: pair.client, tid: pair.client), toPid: pair.daemon,
                                                  toTid: nil, via: "unix")), "\(observed.edges)")
        let threads = graphThreads(graph)
        let held = try #require(threads[ThreadKey(pid: pair.daemon, tid: try pair.tid(pair.daemon, named: "held-worker"))])
        #expect((held["heldBy"] as? String)?.contains("hold") == true, "\(held)")
        for (key, thread) in threads where truth.labels[key] != nil && !(thread["waitsOn"] is NSNull) {
            #expect(thread["function"] is String, "\(truth.label(key)) has no function: \(thread)")
        }
        for cycle in truth.cycles { #expect(observed.cycles.contains(cycle), "\(cycle) in \(observed.cycles)") }
        #expect(untouched(pair.processes()))
    }

    @Test func graphNoStopNeverTracesAndGivesTheSameWaits() throws {
        let pair = try WaitFixturePair()
        defer { pair.stop() }
        let truth = try FixturePairTruth(pair: pair)
        let log = try makeTempDirectory("strace") + "/ptrace.log"
        defer { try? FileManager.default.removeItem(atPath: (log as NSString).deletingLastPathComponent) }
        let watch = TracerWatch(pids: [pair.client, pair.daemon])
        let result = try run("/usr/bin/strace", ["-f", "-qq", "-e", "trace=ptrace", "-o", log,
                                                 lwpscope, "graph", String(pair.client), "--no-stop", "--json"])
        let touched = watch.stop()
        #expect(watch.looks > 0)
        #expect(touched.isEmpty, "traced or stopped during the run: \(touched)")
        let calls = ptraceCalls(inStraceLog: (try? String(contentsOfFile: log, encoding: .utf8)) ?? "")
        #expect(calls.isEmpty, "\(calls)")
        let graph = try json(result)
        try checkGraphShape(graph)
        let problems = truth.mismatches(WaitObservation(graphJSON: graph))
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        for (key, thread) in graphThreads(graph) {
            #expect(thread["function"] is NSNull && thread["heldBy"] is NSNull, "\(key): \(thread)")
        }
        #expect(untouched([pair.client, pair.daemon]))
    }

    @Test func theStraceCheckFindsAPtraceCall() {
        #expect(ptraceCalls(inStraceLog: "").isEmpty)
        let log = """
            4711  ptrace(PTRACE_SEIZE, 4800, NULL, PTRACE_O_TRACECLONE) = 0
            4712  ptrace(PTRACE_INTERRUPT, 4800, NULL, NULL) = 0
            """
        #expect(ptraceCalls(inStraceLog: log).count == 2)
    }

    /// The JSON the tests read is read as the issue spells it (absent keys are nil or empty).
    @Test func graphJSONIsReadAsTheIssueSpellsIt() throws {
        let text = """
            {"processes": [{"pid": 10, "command": "fixture-client", "threads": [
                {"tid": 10, "name": "fixture-client", "state": "S", "function": "read", "heldBy": null,
                 "waitsOn": {"syscall": "read", "fd": 7, "object": "unix", "path": "/s", "peers": [{"pid": 11, "command": "d", "fd": 9}]}},
                {"tid": 12, "name": "x", "state": "R", "function": null, "heldBy": null, "waitsOn": null}]}],
             "edges": [{"from": {"pid": 10, "tid": 10}, "to": {"pid": 11}, "via": "unix", "fd": 7}],
             "cycles": [[{"pid": 10, "tid": 10}, {"pid": 11, "tid": 13}]]}
            """
        let graph = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        try checkGraphShape(graph)
        let observed = WaitObservation(graphJSON: graph)
        let main = ThreadKey(pid: 10, tid: 10)
        #expect(observed.waits == [main: WaitFacts(syscall: "read", fd: 7, object: "unix", path: "/s",
                                                   peers: [PeerFacts(pid: 11, command: "d", fd: 9)])])
        #expect(observed.edges == [EdgeFacts(from: main, toPid: 11, toTid: nil, via: "unix")])
        #expect(observed.cycles == [[main, ThreadKey(pid: 11, tid: 13)]])
        #expect(observed.processes == [10: "fixture-client"])
    }

    @Test func graphTextPutsCyclesFirstAndNamesTheDaemon() throws {
        let pair = try WaitFixturePair()
        defer { pair.stop() }
        let result = try run(lwpscope, ["graph", String(pair.client)])
        #expect(result.exitCode == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init).filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        let cycleLines = lines.prefix { $0.hasPrefix("cycle") }
        #expect(cycleLines.count >= 2, "\(result.stdout)")
        #expect(!lines.dropFirst(cycleLines.count).contains { $0.hasPrefix("cycle") }, "cycles first: \(result.stdout)")
        let unixEdge = lines.dropFirst(cycleLines.count).contains { line in
            line.contains("unix") && line.contains(String(pair.client)) && line.contains(String(pair.daemon))
        }
        #expect(unixEdge, "\(result.stdout)")
        #expect(untouched(pair.processes()))
    }

    @Test func graphOfAGonePidIsOneLineQuickly() throws {
        let start = Date()
        let result = try run(lwpscope, ["graph", "999999"], timeout: 10)
        #expect(Date().timeIntervalSince(start) < 5)
        #expect(result.exitCode != 0 && result.exitCode != nil)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines.first?.contains("999999") == true, "\(result.stderr)")
    }

    // MARK: - graph JSON

    func graphThreads(_ graph: [String: Any]) -> [ThreadKey: [String: Any]] {
        var threads: [ThreadKey: [String: Any]] = [:]
        for process in graph["processes"] as? [[String: Any]] ?? [] {
            for thread in process["threads"] as? [[String: Any]] ?? [] {
                if let pid = process["pid"] as? Int, let tid = thread["tid"] as? Int {
                    threads[ThreadKey(pid: Int32(pid), tid: Int32(tid))] = thread
                }
            }
        }
        return threads
    }

    /// {"processes": [{"pid", "command", "threads": [{"tid", "name", "state", "function", "heldBy", "waitsOn"}]}],
    ///  "edges": [{"from": {"pid", "tid"}, "to": {"pid", "tid"?}, "via", "fd"?}], "cycles": [[{"pid", "tid"}]]}
    func checkGraphShape(_ graph: [String: Any]) throws {
        let processes = try #require(graph["processes"] as? [[String: Any]], "\(graph)")
        for process in processes {
            #expect(process["pid"] is Int && process["command"] is String, "\(process)")
            for thread in try #require(process["threads"] as? [[String: Any]], "\(process)") {
                #expect(thread["tid"] is Int && thread["name"] is String && thread["state"] is String, "\(thread)")
                for key in ["function", "heldBy", "waitsOn"] { #expect(thread.keys.contains(key), "\(key) in \(thread)") }
            }
        }
        for edge in try #require(graph["edges"] as? [[String: Any]], "\(graph)") {
            let from = edge["from"] as? [String: Any] ?? [:]
            let to = edge["to"] as? [String: Any] ?? [:]
            let endsAreThreads: Bool = from["pid"] is Int && from["tid"] is Int && to["pid"] is Int
            #expect(endsAreThreads && edge["via"] is String, "\(edge)")
        }
        let cycles = try #require(graph["cycles"] as? [[[String: Any]]], "\(graph)")
        for thread in cycles.joined() { #expect(thread["pid"] is Int && thread["tid"] is Int, "\(thread)") }
    }
}

/// Looks at every thread of `pids` on its own thread until stopped, noting
/// any traced (TracerPid not 0) or stopped one: "never traced" holds during
/// the run, not only after it.
final class TracerWatch: @unchecked Sendable {
    private let lock = NSLock()
    private var running = true
    private var seen: [String] = []
    private(set) var looks = 0
    private var thread: Thread?

    init(pids: [Int32]) {
        let thread = Thread { [self] in
            while lock.withLock({ running }) {
                let states: [TaskTraceState] = pids.flatMap { TaskStates.of($0) }
                let bad = states.filter(Self.touched)
                lock.withLock {
                    looks += 1
                    seen += bad.map(\.description)
                }
                usleepMillis(2)
            }
        }
        self.thread = thread
        thread.start()
        // At least one look before the command starts.
        _ = waitUntil(timeout: 5) { lock.withLock { looks > 0 } }
    }

    static func touched(_ task: TaskTraceState) -> Bool {
        task.tracerID != 0 || task.state == .stopped || task.state == .tracingStop
    }

    /// Stops looking; what was seen traced or stopped.
    func stop() -> [String] {
        lock.withLock { running = false }
        while thread?.isFinished == false { usleepMillis(1) }
        return lock.withLock { seen }
    }
}
