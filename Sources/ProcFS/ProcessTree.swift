/// Parent and child links between the processes of one listing.
public struct ProcessTree: Sendable {
    public let processes: [Int32: ProcessSummary]
    public let children: [Int32: [Int32]]

    public init(_ listing: [ProcessSummary]) {
        var processes: [Int32: ProcessSummary] = [:]
        var children: [Int32: [Int32]] = [:]
        for process in listing {
            processes[process.pid] = process
            children[process.parentID, default: []].append(process.pid)
        }
        self.processes = processes
        self.children = children.mapValues { $0.sorted() }
    }

    /// The chain from the process's parent up to the root (pid 1 or 0), nearest first.
    public func ancestors(of pid: Int32) -> [Int32] {
        var chain: [Int32] = []
        var seen: Set<Int32> = [pid]
        var current = processes[pid]?.parentID
        while let parent = current, parent > 0, seen.insert(parent).inserted {
            chain.append(parent)
            current = processes[parent]?.parentID
        }
        return chain
    }

    /// Every descendant, depth first, each with its depth below `pid` (children are 1).
    public func descendants(of pid: Int32) -> [(pid: Int32, depth: Int)] {
        var result: [(pid: Int32, depth: Int)] = []
        var seen: Set<Int32> = [pid]
        func visit(_ parent: Int32, _ depth: Int) {
            for child in children[parent] ?? [] where seen.insert(child).inserted {
                result.append((child, depth))
                visit(child, depth + 1)
            }
        }
        visit(pid, 1)
        return result
    }
}
