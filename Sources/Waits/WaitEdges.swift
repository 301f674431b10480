/// The wait-for edges out of one thread's wait: to a mutex's owner, or to
/// every peer (its thread when known, else the whole process).
enum WaitEdges {
    static func edges(from thread: ThreadRef, wait: ThreadWait) -> [WaitEdge] {
        if let owner = wait.owner, let ownerPid = wait.ownerPid {
            return [WaitEdge(from: thread, to: ThreadRef(pid: ownerPid, tid: owner), via: .mutex)]
        }
        guard let via = wait.object else { return [] }
        var seen: Set<WaitEdge> = []
        return wait.peers.compactMap { peer in
            let edge = WaitEdge(from: thread, to: ThreadRef(pid: peer.pid, tid: peer.tid), via: via, fd: wait.fd)
            return seen.insert(edge).inserted ? edge : nil
        }
    }
}
