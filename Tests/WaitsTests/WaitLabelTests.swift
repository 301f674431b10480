import Testing
@testable import Waits

/// The WAITS ON column's text, wait by wait.
@Suite struct WaitLabelTests {
    @Test func descriptorsWithPeers() {
        let pipe = ThreadWait(syscall: "read", syscallNumber: 0, fd: 3, object: .pipe,
                              peers: [WaitPeer(pid: 4711, command: "virsh", fd: 5)])
        #expect(pipe.label() == "read pipe ← 4711 virsh")
        var many = pipe
        many.peers += [WaitPeer(pid: 4712, command: "a"), WaitPeer(pid: 4713, command: "b")]
        #expect(many.label() == "read pipe ← 4711 virsh +2")
        let thread = ThreadWait(syscall: "read", syscallNumber: 0, fd: 3, object: .unix, path: "/tmp/d.sock",
                                peers: [WaitPeer(pid: 4711, command: "daemon", fd: 9, tid: 4713, threadName: "cycle-reader")])
        #expect(thread.label() == "read unix ← 4711/4713 cycle-reader")
        #expect(thread.label(held: [ThreadRef(pid: 4711, tid: 4713)]) == "read unix ← 4711/4713 cycle-reader (held)")
        #expect(thread.label(held: [ThreadRef(pid: 4711, tid: 4714)]) == "read unix ← 4711/4713 cycle-reader")
        #expect(thread.followTarget == ThreadRef(pid: 4711, tid: 4713))
    }

    @Test func descriptorsWithoutPeersShowWhereTheyLead() {
        #expect(ThreadWait(syscall: "accept4", syscallNumber: 288, fd: 5, object: .unix, path: "/run/x.sock").label()
                == "accept4 unix /run/x.sock")
        #expect(ThreadWait(syscall: "read", syscallNumber: 0, fd: 5, object: .tcp, address: "10.0.0.2:5000 -> 10.0.0.9:80").label()
                == "read tcp 10.0.0.2:5000 -> 10.0.0.9:80")
        #expect(ThreadWait(syscall: "read", syscallNumber: 0, fd: 5, object: .eventfd).label() == "read eventfd")
        #expect(ThreadWait(syscall: "read", syscallNumber: 0, fd: 5, object: .eventfd).followTarget == nil)
    }

    @Test func mutexesChildrenAndTheRest() {
        let mutex = ThreadWait(syscall: "futex", syscallNumber: 202, object: .mutex, owner: 2213, ownerPid: 2200, ownerName: "worker-3")
        #expect(mutex.label() == "mutex ← 2213 worker-3")
        #expect(mutex.label(held: [ThreadRef(pid: 2200, tid: 2213)]) == "mutex ← 2213 worker-3 (held)")
        #expect(mutex.followTarget == ThreadRef(pid: 2200, tid: 2213))
        #expect(ThreadWait(syscall: "futex", syscallNumber: 202, object: .mutex).label() == "mutex")
        #expect(ThreadWait(syscall: "futex", syscallNumber: 202, object: .condvar).label() == "futex condvar")
        #expect(ThreadWait(syscall: "wait4", syscallNumber: 61, object: .child, peers: [WaitPeer(pid: 812, command: "sh")]).label()
                == "wait4 child ← 812 sh")
        #expect(ThreadWait(syscall: "epoll_wait", syscallNumber: 232, fd: 4, object: .epoll, watching: [5, 6, 7]).label()
                == "epoll_wait epoll (3 fds)")
        #expect(ThreadWait(syscall: "clock_nanosleep", syscallNumber: 230).label() == "clock_nanosleep")
    }
}
