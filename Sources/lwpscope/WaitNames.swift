import Waits

/// Names for the threads and processes of a wait report, for text: "4711/4713 lock-b", "4711 fixture-daemon".
struct WaitNames {
    var threads: [ThreadRef: String] = [:]
    var commands: [Int32: String] = [:]
    /// The hold flag holding a thread, for "(held by hold.0)".
    var heldBy: [ThreadRef: String] = [:]

    init(_ report: WaitReport, threads named: [(pid: Int32, tid: Int32, name: String)] = []) {
        commands = report.processes
        for (pid, tid, name) in named { threads[ThreadRef(pid: pid, tid: tid)] = name }
        for wait in report.waits.values {
            for peer in wait.peers {
                if commands[peer.pid] == nil { commands[peer.pid] = peer.command }
                if let tid = peer.tid, let name = peer.threadName, threads[ThreadRef(pid: peer.pid, tid: tid)] == nil {
                    threads[ThreadRef(pid: peer.pid, tid: tid)] = name
                }
            }
            if let owner = wait.owner, let ownerPid = wait.ownerPid, let name = wait.ownerName,
                threads[ThreadRef(pid: ownerPid, tid: owner)] == nil
            {
                threads[ThreadRef(pid: ownerPid, tid: owner)] = name
            }
        }
    }

    init(_ graph: GatheredGraph) {
        self.init(graph.report, threads: graph.processes.flatMap { p in p.threads.map { (p.pid, $0.tid, $0.name) } })
        for process in graph.processes {
            commands[process.pid] = process.command
            for thread in process.threads {
                if let flag = thread.heldBy { heldBy[ThreadRef(pid: process.pid, tid: thread.tid)] = flag }
            }
        }
    }

    func text(_ node: ThreadRef) -> String {
        guard let tid = node.tid else { return "\(node.pid) \(commands[node.pid] ?? "?")" }
        let held = heldBy[node].map { " (held by \($0))" } ?? ""
        return "\(node.pid)/\(tid) \(threads[node] ?? "?")" + held
    }
}
