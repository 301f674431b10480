/// Every elementary cycle among threads in a wait-for graph: threads
/// waiting on each other, none of which can go on (a thread relocking its
/// own mutex is a cycle of one).
///
/// Each cycle is found once, from its lowest thread: a depth-first walk from
/// each thread in order visits only threads above it. That walk is
/// exponential on dense graphs, which wait-for graphs are not (a thread
/// waits on one thing, with few peers), but a pipe with many writers or a
/// hostile /proc could make one; so the walk is capped in steps and in
/// cycles found, and what is past the cap is left out rather than stall a
/// screen refresh.
enum WaitCycles {
    static let maxCycles = 64
    static let maxSteps = 100_000

    static func find(in edges: [WaitEdge]) -> [[ThreadRef]] {
        var successors: [ThreadRef: Set<ThreadRef>] = [:]
        for edge in edges where edge.from.tid != nil && edge.to.tid != nil {
            successors[edge.from, default: []].insert(edge.to)
        }
        let ordered = successors.mapValues { $0.sorted() }
        var cycles: [[ThreadRef]] = []
        var steps = 0
        for start in ordered.keys.sorted() {
            var path = [start]
            var onPath: Set<ThreadRef> = [start]
            // Each level: the successors still to try from that path element.
            var pending: [ArraySlice<ThreadRef>] = [ArraySlice(ordered[start] ?? [])]
            while let last = pending.last {
                guard steps < maxSteps, cycles.count < maxCycles else { return cycles }
                steps += 1
                guard let next = last.first else {
                    pending.removeLast()
                    onPath.remove(path.removeLast())
                    continue
                }
                pending[pending.count - 1] = last.dropFirst()
                if next == start {
                    cycles.append(path)
                } else if start < next, !onPath.contains(next) {
                    path.append(next)
                    onPath.insert(next)
                    pending.append(ArraySlice(ordered[next] ?? []))
                }
            }
        }
        return cycles
    }
}
