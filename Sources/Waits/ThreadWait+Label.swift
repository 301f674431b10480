extension ThreadWait {
    /// The thread table's WAITS ON text: the call, the object, and who is at
    /// the other end ("read pipe ← 4711 virsh", "mutex ← 2213 worker-3",
    /// "accept unix /run/x.sock"). `held` threads are marked as held.
    public func label(held: Set<ThreadRef> = []) -> String {
        [syscall, object?.rawValue].compactMap { $0 }.joined(separator: " ")
    }

    /// Where `f` goes from this wait: the mutex's owner, else the first peer
    /// (its thread when known); nil when there is no one at the other end.
    public var followTarget: ThreadRef? {
        if let owner, let ownerPid { return ThreadRef(pid: ownerPid, tid: owner) }
        return peers.first.map { ThreadRef(pid: $0.pid, tid: $0.tid) }
    }
}
