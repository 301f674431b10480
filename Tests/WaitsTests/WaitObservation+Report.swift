import TestSupport
import Waits

/// A WaitReport in the terms the fixture pair's checks compare (FixturePairTruth).
extension WaitObservation {
    init(_ report: WaitReport) {
        var waits: [ThreadKey: WaitFacts] = [:]
        for (thread, wait) in report.waits {
            waits[ThreadKey(pid: thread.pid, tid: thread.tid ?? -1)] = WaitFacts(wait)
        }
        self.init(
            waits: waits,
            edges: report.edges.map { edge in
                EdgeFacts(from: ThreadKey(pid: edge.from.pid, tid: edge.from.tid ?? -1), toPid: edge.to.pid,
                          toTid: edge.to.tid, via: edge.via.rawValue)
            },
            cycles: report.cycles.map { cycle in cycle.map { ThreadKey(pid: $0.pid, tid: $0.tid ?? -1) } },
            processes: report.processes)
    }
}

extension WaitFacts {
    init(_ wait: ThreadWait) {
        self.init(syscall: wait.syscall, fd: wait.fd, object: wait.object?.rawValue, path: wait.path, address: wait.address,
                  peers: wait.peers.map { PeerFacts(pid: $0.pid, command: $0.command, fd: $0.fd, tid: $0.tid) },
                  owner: wait.owner, ownerPid: wait.ownerPid, watching: wait.watching)
    }
}
