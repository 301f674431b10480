extension ThreadWait {
    /// The thread table's WAITS ON text: the call, the object, and who is at
    /// the other end ("read pipe ← 4711 virsh", "mutex ← 2213 worker-3",
    /// "accept4 unix /run/x.sock", "read unix ← 4711/4713 cycle-reader").
    /// `held` threads are marked as held. Short: the column is narrow, and
    /// the screen cuts what does not fit, so the peer comes before details.
    public func label(held: Set<ThreadRef> = []) -> String {
        if object == .mutex { return (["mutex"] + ownerPart(held: held)).joined(separator: " ") }
        var parts = [syscall]
        switch object {
        case .epoll?:
            parts += ["epoll", "(\(watching.count) fds)"]
            return parts.joined(separator: " ")
        case .condvar?, .child?:
            parts.append(object!.rawValue)
        case .futex?:
            break  // "futex futex" says nothing more
        case let kind?:
            parts.append(kind.rawValue)
            if peers.isEmpty, let place = path ?? address { parts.append(place) }
        case nil:
            if let fd { parts.append("fd \(fd)") }
        }
        parts += peerPart(held: held)
        if !watching.isEmpty { parts.append("(+\(watching.count) fds)") }
        return parts.joined(separator: " ")
    }

    private func ownerPart(held: Set<ThreadRef>) -> [String] {
        guard let owner, let ownerPid else { return [] }
        let name = ownerName.map { " " + $0 } ?? ""
        let mark = held.contains(ThreadRef(pid: ownerPid, tid: owner)) ? " (held)" : ""
        return ["← \(owner)\(name)\(mark)"]
    }

    /// "← 4711 virsh", "← 4711/4713 cycle-reader" (the peer's thread), "+2" for more peers.
    private func peerPart(held: Set<ThreadRef>) -> [String] {
        guard let first = peers.first else { return [] }
        var text = "← "
        if let tid = first.tid {
            text += "\(first.pid)/\(tid) \(first.threadName ?? first.command)"
        } else {
            text += "\(first.pid) \(first.command)"
        }
        if let error = first.error { text += " (\(error))" }
        if held.contains(ThreadRef(pid: first.pid, tid: first.tid)) { text += " (held)" }
        if peers.count > 1 { text += " +\(peers.count - 1)" }
        return [text]
    }

    /// Where `f` goes from this wait: the mutex's owner, else the first peer
    /// (its thread when known); nil when there is no one at the other end.
    public var followTarget: ThreadRef? {
        if let owner, let ownerPid { return ThreadRef(pid: ownerPid, tid: owner) }
        return peers.first.map { ThreadRef(pid: $0.pid, tid: $0.tid) }
    }
}
