/// Fills in a wait on descriptors: what the fd is (through the descriptor
/// reader), who holds the other end, and which of their threads waits on it.
struct DescriptorWait {
    let world: WaitWorld

    /// A call on one fd (read, accept4, ...): described, with its peers.
    func resolve(fd: Int32, thread: ThreadRef, into wait: inout ThreadWait, notes: inout [String]) {
        wait.fd = fd
        guard fd >= 0 else {
            notes.append("fd \(fd) is not a descriptor")
            return
        }
        switch world.describe(pid: thread.pid, fd: fd) {
        case .failure(let problem):
            notes.append(problem.description)
        case .success(let info):
            wait.object = info.kind
            wait.path = info.path
            wait.address = info.address
            wait.peers = peers(of: info, thread: thread)
            if info.kind == .epoll { wait.watching = info.watched }
        }
    }

    /// epoll_wait: the epoll fd and what it watches; no peers of its own.
    func resolveEpoll(fd: Int32, thread: ThreadRef, into wait: inout ThreadWait, notes: inout [String]) {
        wait.fd = fd
        switch world.describe(pid: thread.pid, fd: fd) {
        case .failure(let problem):
            wait.object = .epoll
            notes.append(problem.description)
        case .success(let info):
            wait.object = info.kind
            wait.watching = info.watched
        }
    }

    /// poll or select: described as its first fd, the others in `watching`.
    func resolveSet(_ result: Result<[Int32], PolledDescriptors.Failure>, thread: ThreadRef,
                    into wait: inout ThreadWait, notes: inout [String]) {
        switch result {
        case .failure(let failure):
            notes.append(failure.description)
        case .success(let fds):
            guard let first = fds.first else {
                notes.append("polls no descriptor")
                return
            }
            resolve(fd: first, thread: thread, into: &wait, notes: &notes)
            wait.watching = Array(fds.dropFirst())
        }
    }

    private func peers(of info: FileDescriptorInfo, thread: ThreadRef) -> [WaitPeer] {
        let blocked = BlockedDescriptors(world: world)
        return world.peers(of: info, pid: thread.pid).map { peer in
            var peer = peer
            if peer.error == nil, peer.tid == nil, let fd = peer.fd,
               let tid = blocked.thread(of: peer.pid, blockedOn: fd, except: thread) {
                peer.tid = tid
                peer.threadName = world.threadName(pid: peer.pid, tid: tid)
            }
            return peer
        }
    }
}
