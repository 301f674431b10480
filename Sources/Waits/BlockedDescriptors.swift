/// The descriptors a blocked call waits on, and the thread of a process
/// that waits on a given one (the peer's thread at the other end).
struct BlockedDescriptors {
    let world: WaitWorld

    /// Every descriptor `call` (made by a thread of `pid`) waits on: its fd,
    /// an epoll's watched fds besides the epoll fd, a poll or select set.
    /// Unreadable sets count as none.
    func descriptors(of call: BlockingCall, pid: Int32) -> [Int32] {
        switch call {
        case .descriptor(let fd):
            return [fd]
        case .epoll(let fd):
            let watched = (try? world.describe(pid: pid, fd: fd).get())?.watched ?? []
            return [fd] + watched
        case .poll(let address, let count):
            return (try? PolledDescriptors.poll(pid: pid, address: address, count: count, memory: world.memory).get()) ?? []
        case .select(let count, let sets):
            return (try? PolledDescriptors.select(pid: pid, count: count, sets: sets, memory: world.memory).get()) ?? []
        case .futex, .futexVector, .child, .nothing:
            return []
        }
    }

    /// The lowest thread of `pid` blocked on `fd` (reading, writing, polling
    /// or epolling it), from each thread's /proc syscall file; nobody is stopped.
    /// Each process's threads are read once a pass, into an index by
    /// descriptor: a thousand readers of pipes whose writer is one process
    /// would otherwise read its thousand threads each.
    func thread(of pid: Int32, blockedOn fd: Int32, except skipped: ThreadRef? = nil) -> Int32? {
        let index = world.blockedThreads(of: pid) {
            var index: [Int32: [Int32]] = [:]
            for tid in (world.threads(of: pid) ?? []).sorted() {
                guard case .inSyscall(let number, let arguments, _, _)? = world.syscall(pid: pid, tid: tid) else { continue }
                let call = BlockingCall.decode(name: SyscallNames.name(number), arguments: arguments)
                for descriptor in Set(descriptors(of: call, pid: pid)) { index[descriptor, default: []].append(tid) }
            }
            return index
        }
        return index[fd]?.first { ThreadRef(pid: pid, tid: $0) != skipped }
    }
}
