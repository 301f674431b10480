import Waits

/// `graph`'s text: one chain of waits per line, cycles first; then the held
/// threads no chain reached, and the processes read.
///
///     cycle  4711/4712 lock-a =mutex=> 4711/4713 lock-b =mutex=> 4711/4712 lock-a
///     chain  4800/4800 fixture-client =unix fd 5=> 4711 fixture-daemon
///     chain  4711/4714 acceptor: accept4 unix /tmp/x/daemon.sock
enum GraphText {
    static func lines(_ graph: GatheredGraph) -> [String] {
        let report = graph.report, names = WaitNames(graph)
        let processes = graph.processes.map { "\($0.pid) \($0.command)" + ($0.error.map { " (\($0))" } ?? "") }
        var lines = report.cycles.map { cycleLine($0, names: names, edges: report.edges) }
        var shown = Set(report.cycles.joined())
        let outgoing = Dictionary(grouping: report.edges, by: \.from)
        let waitedOn = Set(report.edges.map(\.to))
        let waiting = report.waits.keys.sorted()
        // Heads first (no one waits on them), then whatever only a loop through
        // non-cycle edges could reach.
        for head in waiting.filter({ !waitedOn.contains($0) }) + waiting where !shown.contains(head) {
            var line = "chain  " + names.text(head), node = head
            shown.insert(head)
            while let edge = outgoing[node]?.first {
                line += " =\(via(edge, among: outgoing[node]!.count))=> " + names.text(edge.to)
                guard !shown.contains(edge.to) else { node = edge.to; line += waitedOnCycle(edge.to, report); break }
                shown.insert(edge.to)
                node = edge.to
            }
            if outgoing[node] == nil, let wait = report.waits[node] { line += ": " + wait.label() }
            lines.append(line)
        }
        for node in names.heldBy.keys.sorted() where !shown.contains(node) {
            lines.append("held   " + names.text(node))
        }
        if lines.isEmpty { lines.append("no thread waits on another") }
        return lines + ["processes: " + processes.joined(separator: ", ")]
    }

    static func cycleLine(_ cycle: [ThreadRef], names: WaitNames, edges: [WaitEdge] = []) -> String {
        guard let first = cycle.first else { return "cycle" }
        var line = "cycle  " + names.text(first)
        for (index, node) in cycle.enumerated() {
            let next = cycle[(index + 1) % cycle.count]
            let edge = edges.first { $0.from == node && $0.to == next }
            line += " =\(edge.map { via($0, among: 1) } ?? "waits")=> " + names.text(next)
        }
        return line
    }

    static func via(_ edge: WaitEdge, among count: Int) -> String {
        edge.via.rawValue + (edge.fd.map { " fd \($0)" } ?? "") + (count > 1 ? " +\(count - 1)" : "")
    }

    private static func waitedOnCycle(_ node: ThreadRef, _ report: WaitReport) -> String {
        report.deadlocked.contains(node) ? " (in a cycle)" : ""
    }
}
