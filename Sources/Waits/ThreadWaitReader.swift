#if canImport(Glibc)
import Glibc
#endif
import ProcFS

/// One thread's wait, from its /proc syscall line and what the arguments
/// point at. Nil for a thread that runs, or is gone.
struct ThreadWaitReader {
    let world: WaitWorld

    func wait(of input: ThreadWaitInput) -> ThreadWait? {
        let thread = ThreadRef(pid: input.pid, tid: input.tid)
        if let given = input.syscall { world.record(syscall: given, pid: input.pid, tid: input.tid) }
        guard let syscall = world.syscall(pid: input.pid, tid: input.tid) else { return unreadable(thread) }
        guard case .inSyscall(let number, let arguments, _, _) = syscall else { return nil }
        var wait = ThreadWait(syscall: SyscallNames.name(number), syscallNumber: number)
        var notes: [String] = []
        let descriptors = DescriptorWait(world: world)
        switch BlockingCall.decode(name: wait.syscall, arguments: arguments) {
        case .descriptor(let fd):
            descriptors.resolve(fd: fd, thread: thread, into: &wait, notes: &notes)
        case .epoll(let fd):
            descriptors.resolveEpoll(fd: fd, thread: thread, into: &wait, notes: &notes)
        case .poll(let address, let count):
            let set = PolledDescriptors.poll(pid: input.pid, address: address, count: count, memory: world.memory)
            descriptors.resolveSet(set, thread: thread, into: &wait, notes: &notes)
        case .select(let count, let sets):
            let set = PolledDescriptors.select(pid: input.pid, count: count, sets: sets, memory: world.memory)
            descriptors.resolveSet(set, thread: thread, into: &wait, notes: &notes)
        case .futex(let call):
            FutexWait(world: world).resolve(call, pid: input.pid, frames: input.frames, into: &wait, notes: &notes)
        case .futexVector:
            wait.object = .futex
        case .child(let selector):
            ChildWait(world: world).resolve(selector, pid: input.pid, into: &wait, notes: &notes)
        case .nothing:
            break
        }
        wait.note = notes.isEmpty ? nil : notes.joined(separator: "; ")
        return wait
    }

    /// No syscall line: the thread is gone (left out), runs (left out), or
    /// its line could not be read or parsed (a wait that says so, not a guess).
    private func unreadable(_ thread: ThreadRef) -> ThreadWait? {
        guard let tid = thread.tid, let stat = world.procfs.stat(thread.pid, thread: tid) else { return nil }
        guard stat.state != .running, stat.state != .zombie, stat.state != .dead else { return nil }
        let path = "\(world.procfs.root)/\(thread.pid)/task/\(tid)/syscall"
        let refused = access(path, R_OK) != 0 && errno == EACCES
        return ThreadWait(syscall: "unknown", syscallNumber: -1,
                          note: refused ? "no permission to read \(path)" : "\(path) unreadable")
    }
}
