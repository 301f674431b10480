/// What a blocked system call's arguments say it waits on, before anything
/// they point at is read: the argument registers of /proc/TID/syscall,
/// decoded by the call's name (so no architecture's numbers appear here).
enum BlockingCall: Equatable, Sendable {
    /// A call on one descriptor: read, write, recvmsg, accept4, connect, flock, ...
    case descriptor(Int32)
    /// epoll_wait, epoll_pwait, epoll_pwait2 on the epoll descriptor.
    case epoll(Int32)
    /// poll, ppoll: `count` struct pollfd at `address`.
    case poll(address: UInt64, count: Int)
    /// select, pselect6: fd_sets (read, write, except; 0 when absent) for descriptors below `count`.
    case select(count: Int, sets: [UInt64])
    case futex(FutexCall)
    /// futex_waitv: several futexes at once; nothing says whose.
    case futexVector
    case child(ChildSelector)
    /// Sleeping, waiting for a signal, or a call nothing is known about: no object.
    case nothing

    /// Calls whose first argument is the descriptor they block on.
    static let descriptorCalls: Set<String> = [
        "read", "readv", "pread64", "preadv", "preadv2", "write", "writev", "pwrite64", "pwritev", "pwritev2",
        "recvfrom", "recvmsg", "recvmmsg", "sendto", "sendmsg", "sendmmsg", "accept", "accept4", "connect",
        "flock", "fsync", "fdatasync", "sync_file_range", "ioctl", "fcntl", "splice", "tee", "sendfile",
        "copy_file_range", "fallocate", "ftruncate", "mq_timedreceive", "mq_timedsend", "io_uring_enter",
    ]
    static let epollCalls: Set<String> = ["epoll_wait", "epoll_pwait", "epoll_pwait2"]

    static func decode(name: String, arguments a: [UInt64]) -> BlockingCall {
        guard a.count >= 6 else { return .nothing }
        func int32(_ word: UInt64) -> Int32 { Int32(truncatingIfNeeded: word) }
        if descriptorCalls.contains(name) { return .descriptor(int32(a[0])) }
        if epollCalls.contains(name) { return .epoll(int32(a[0])) }
        switch name {
        case "poll", "ppoll":
            return .poll(address: a[0], count: Int(min(a[1], UInt64(Int32.max))))
        case "select", "pselect6":
            return .select(count: Int(max(0, int32(a[0]))), sets: [a[1], a[2], a[3]])
        case "futex":
            return .futex(FutexCall(address: a[0], operation: FutexOperation(raw: UInt32(truncatingIfNeeded: a[1])),
                                    value: UInt32(truncatingIfNeeded: a[2]), value3: UInt32(truncatingIfNeeded: a[5])))
        case "futex_waitv":
            return .futexVector
        case "wait4":
            return .child(ChildSelector(wait4Pid: int32(a[0])))
        case "waitid":
            return .child(ChildSelector(idType: int32(a[0]), id: int32(a[1])))
        default:
            return .nothing
        }
    }
}

/// Which children wait4 or waitid waits for.
enum ChildSelector: Equatable, Sendable {
    case pid(Int32)
    case anyChild
    /// Any child in process group `pgid`.
    case group(Int32)
    /// Any child in the caller's own process group (wait4's pid 0).
    case callersGroup
    /// waitid(P_PIDFD): the child a pidfd of the caller refers to.
    case pidfd(Int32)

    /// wait4(2): >0 that child, -1 any child, 0 the caller's group, < -1 group -pid.
    init(wait4Pid pid: Int32) {
        switch pid {
        case 1...: self = .pid(pid)
        case -1: self = .anyChild
        case 0: self = .callersGroup
        default: self = .group(pid == Int32.min ? Int32.max : -pid)
        }
    }

    /// waitid(2): idtype P_ALL 0, P_PID 1, P_PGID 2 (id 0: the caller's), P_PIDFD 3.
    init(idType: Int32, id: Int32) {
        switch idType {
        case 1: self = .pid(id)
        case 2: self = id == 0 ? .callersGroup : .group(id)
        case 3: self = .pidfd(id)
        default: self = .anyChild
        }
    }
}
