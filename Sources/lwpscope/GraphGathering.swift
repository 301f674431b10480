import Backtraces
import Engine
import Holds
import InspectorFeed
import ProcFS
import Waits

/// The wait-for graph from some processes, with each reached process's
/// threads: what `graph` prints.
struct GatheredGraph {
    struct Thread {
        var tid: Int32
        var name: String
        var state: String
        /// The function the thread called, when it was unwound.
        var function: String?
        /// The hold flag holding it, when one does.
        var heldBy: String?
    }

    struct Process {
        var pid: Int32
        var command: String
        var threads: [Thread]
        /// Why its threads could not be unwound (it exited, another tracer has it).
        var error: String?
    }

    var processes: [Process]
    var report: WaitReport
}

enum GraphError: Error, CustomStringConvertible {
    case noSuchProcess(Int32)

    var description: String {
        switch self {
        case .noSuchProcess(let pid): "pid \(pid): no such process (`lwpscope ps` lists them)"
        }
    }
}

/// Reads the graph: first from /proc alone, to learn which processes the
/// waits reach; then, when stopping is allowed, each of them is stopped
/// once for its backtraces (a mutex is known by its functions, a held thread
/// by its flag) and the waits are read again with them.
enum GraphGathering {
    static func gather(from pids: [Int32], depth: Int, stopping: Bool, procfs: ProcFS = ProcFS()) async
        -> Result<GatheredGraph, GraphError>
    {
        var roots: [Int32] = []
        for pid in pids {
            guard let process = procfs.process(ofThread: pid) else { return .failure(.noSuchProcess(pid)) }
            if !roots.contains(process.pid) { roots.append(process.pid) }
        }
        let analyzer = WaitAnalyzer(procfs: procfs)
        var report = analyzer.analyze(processes: roots, followDepth: depth)
        let reached = order(roots, then: report.processes.keys)
        let backtracer = Backtracer()
        guard stopping else {
            let processes = reached.compactMap { pid -> GatheredGraph.Process? in
                guard var process = unwoundNone(pid, procfs) else { return nil }
                markPointParked(&process, procfs: procfs, backtracer: backtracer)
                return process
            }
            return .success(GatheredGraph(processes: processes, report: report))
        }
        var processes: [GatheredGraph.Process] = []
        var inputs: [ThreadWaitInput] = []
        for pid in reached {
            switch await unwound(pid, backtracer: backtracer) {
            case .success(let (process, backtraces)):
                processes.append(process)
                inputs += WaitInputs.of(backtraces)
            case .failure(let error):
                guard var process = unwoundNone(pid, procfs) else { continue }
                process.error = error.description
                markPointParked(&process, procfs: procfs, backtracer: backtracer)
                processes.append(process)
                inputs += process.threads.map { ThreadWaitInput(pid: pid, tid: $0.tid, name: $0.name) }
            }
        }
        report = analyzer.analyze(inputs, followDepth: depth)
        // A process the second reading reached that the first did not.
        for pid in order([], then: report.processes.keys) where !processes.contains(where: { $0.pid == pid }) {
            if let process = unwoundNone(pid, procfs) { processes.append(process) }
        }
        return .success(GatheredGraph(processes: processes, report: report))
    }

    /// The given processes first, then the others by pid.
    static func order(_ roots: [Int32], then others: some Sequence<Int32>) -> [Int32] {
        roots + others.filter { !roots.contains($0) }.sorted()
    }

    /// A process's threads from /proc: names and states, no functions.
    static func unwoundNone(_ pid: Int32, _ procfs: ProcFS) -> GatheredGraph.Process? {
        guard let threads = procfs.threads(pid) else { return nil }
        let command = procfs.process(ofThread: pid)?.command ?? procfs.stat(pid)?.name ?? ""
        return GatheredGraph.Process(
            pid: pid, command: command,
            threads: threads.map { .init(tid: $0.id, name: $0.name, state: String($0.state.letter)) })
    }

    /// A process another session traces cannot be stopped again: its threads
    /// parked at that session's hold points are still found, from /proc.
    static func markPointParked(_ process: inout GatheredGraph.Process, procfs: ProcFS, backtracer: Backtracer) {
        guard process.threads.contains(where: { $0.state == "t" }) else { return }
        let probe = PointParkedThreads(procfs: procfs, backtracer: backtracer)
        let space = backtracer.addressSpace(of: process.pid)
        for index in process.threads.indices {
            guard let point = probe.point(pid: process.pid, tid: process.threads[index].tid, in: space) else { continue }
            process.threads[index].heldBy = point.label
            process.threads[index].function = process.threads[index].function ?? point.function
        }
    }

    /// One stop of `pid` (attach, copy, detach), unwound, its hold flags surveyed.
    static func unwound(_ pid: Int32, backtracer: Backtracer) async
        -> Result<(GatheredGraph.Process, ProcessBacktraces), EngineError>
    {
        let snapshot: ProcessSnapshot
        switch await EngineCall.oneSnapshot(pid, stackBytes: Backtracer.defaultStackBytes) {
        case .success(let taken): snapshot = taken
        case .failure(let error): return .failure(error)
        }
        let space = backtracer.addressSpace(of: pid)
        let backtraces = backtracer.backtraces(of: snapshot, in: space)
        let survey = try? HoldSurvey.take(backtraces: backtraces, space: space) { flag in
            try? TraceEngine.readValue(pid: pid, address: flag.address, size: flag.size)
        }
        let main = backtracer.procfs.executablePath(pid).map(ModulePaths.displayPath)
        let threads = backtraces.threads.map { thread in
            GatheredGraph.Thread(
                tid: thread.tid, name: thread.name, state: String(thread.state.letter),
                function: CalledFunction.label(thread.frames, mainExecutable: main),
                heldBy: survey?.heldBy[thread.tid]?.displayName)
        }
        let command = backtracer.procfs.process(ofThread: pid)?.command ?? backtraces.command
        return .success((GatheredGraph.Process(pid: pid, command: command, threads: threads), backtraces))
    }
}
