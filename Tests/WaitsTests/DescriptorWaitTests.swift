import Testing
@testable import Waits

/// Waits on descriptors against a fake /proc and a fake descriptor reader:
/// what the fd is, the peers, the peer's thread, edges and cross-process cycles.
@Suite struct DescriptorWaitTests {
    let proc = FakeProc()
    let fds = FakeDescriptors()
    let memory = FakeMemory()

    @Test func pipeReadNamesTheWriterAndTheWritersBlockedThread() {
        proc.process(100, "reader")
        proc.blocked(100, 100, "reader", Call.read, [3, 0x1000, 10])
        proc.process(200, "virsh")
        proc.thread(200, 201, "idle", syscall: "running")
        proc.blocked(200, 202, "writer", 1, [7, 0x2000, 10])  // write(7, ...)
        fds.add(pid: 100, FileDescriptorInfo(fd: 3, kind: .pipe, inode: 55, writable: false),
                peers: [WaitPeer(pid: 200, command: "virsh", fd: 7)])
        let report = proc.analyzer(fds, memory).analyze(processes: [100], followDepth: 0)
        let wait = report.wait(pid: 100, tid: 100)
        #expect(wait?.syscall == "read")
        #expect(wait?.fd == 3)
        #expect(wait?.object == .pipe)
        #expect(wait?.peers == [WaitPeer(pid: 200, command: "virsh", fd: 7, tid: 202, threadName: "writer")])
        #expect(report.edges == [WaitEdge(from: ThreadRef(pid: 100, tid: 100), to: ThreadRef(pid: 200, tid: 202), via: .pipe, fd: 3)])
        #expect(report.processes == [100: "reader"])
        #expect(wait?.label() == "read pipe ← 200/202 writer")
    }

    @Test func aPeerNoThreadWaitsOnIsTheWholeProcess() {
        proc.process(100, "reader")
        proc.blocked(100, 100, "reader", Call.read, [3])
        proc.process(200, "virsh")
        proc.blocked(200, 200, "virsh", Call.read, [8])  // another fd than the peer's 7
        fds.add(pid: 100, FileDescriptorInfo(fd: 3, kind: .pipe), peers: [WaitPeer(pid: 200, command: "virsh", fd: 7)])
        let report = proc.analyzer(fds, memory).analyze(processes: [100], followDepth: 0)
        #expect(report.wait(pid: 100, tid: 100)?.peers.first?.tid == nil)
        #expect(report.edges.map(\.to) == [ThreadRef(pid: 200, tid: nil)])
        #expect(report.cycles.isEmpty)
    }

    /// Two processes each reading the one connection between them: found from
    /// one side by following the edge into the other process.
    @Test func twoProcessesReadingEachOthersConnectionAreACycle() {
        proc.process(100, "client")
        proc.blocked(100, 105, "cycle-reader", Call.read, [6])
        proc.process(300, "daemon")
        proc.blocked(300, 310, "cycle-reader", Call.read, [9])
        fds.add(pid: 100, FileDescriptorInfo(fd: 6, kind: .unix), peers: [WaitPeer(pid: 300, command: "daemon", fd: 9)])
        fds.add(pid: 300, FileDescriptorInfo(fd: 9, kind: .unix, path: "/tmp/d.sock"),
                peers: [WaitPeer(pid: 100, command: "client", fd: 6)])
        let a = ThreadRef(pid: 100, tid: 105), b = ThreadRef(pid: 300, tid: 310)

        let followed = proc.analyzer(fds, memory).analyze([ThreadWaitInput(pid: 300, tid: 310)], followDepth: 1)
        #expect(followed.cycles == [[a, b]])
        #expect(followed.processes == [100: "client", 300: "daemon"])
        #expect(followed.wait(pid: 100, tid: 105)?.peers.first?.tid == 310)
        #expect(followed.wait(pid: 300, tid: 310)?.label() == "read unix ← 100/105 cycle-reader")

        let notFollowed = proc.analyzer(fds, memory).analyze([ThreadWaitInput(pid: 300, tid: 310)], followDepth: 0)
        #expect(notFollowed.cycles.isEmpty)
        #expect(notFollowed.wait(pid: 100, tid: 105) == nil)
        #expect(notFollowed.processes == [300: "daemon"])
    }

    @Test func aClosedDescriptorKeepsTheCallAndFdAndSaysWhy() {
        proc.process(100, "reader")
        proc.blocked(100, 100, "reader", Call.read, [4])
        fds.fail(pid: 100, fd: 4, .closed(fd: 4))
        let wait = proc.analyzer(fds, memory).analyze(processes: [100]).wait(pid: 100, tid: 100)
        #expect(wait == ThreadWait(syscall: "read", syscallNumber: 0, fd: 4, note: "fd 4 closed meanwhile"))
        #expect(wait?.label() == "read fd 4")
    }

    @Test func aPeerWithoutPermissionIsNamedButNotSearched() {
        proc.process(100, "reader")
        proc.blocked(100, 100, "reader", Call.read, [3])
        fds.add(pid: 100, FileDescriptorInfo(fd: 3, kind: .unix),
                peers: [WaitPeer(pid: 1, command: "systemd", error: "no permission")])
        let report = proc.analyzer(fds, memory).analyze(processes: [100])
        #expect(report.wait(pid: 100, tid: 100)?.label() == "read unix ← 1 systemd (no permission)")
        #expect(report.edges.map(\.to) == [ThreadRef(pid: 1, tid: nil)])
    }

    @Test func acceptOnAListenerShowsItsPath() {
        proc.process(100, "server")
        proc.blocked(100, 100, "server", Call.accept4, [5, 0, 0, 0x80000])
        fds.add(pid: 100, FileDescriptorInfo(fd: 5, kind: .unix, path: "/run/x.sock", listening: true))
        let report = proc.analyzer(fds, memory).analyze(processes: [100])
        #expect(report.wait(pid: 100, tid: 100)?.label() == "accept4 unix /run/x.sock")
        #expect(report.edges.isEmpty)
    }

    @Test func epollWaitListsTheWatchedDescriptors() {
        proc.process(100, "loop")
        proc.blocked(100, 100, "loop", Call.epollWait, [4, 0x1000, 8, UInt64(bitPattern: -1)])
        fds.add(pid: 100, FileDescriptorInfo(fd: 4, kind: .epoll, watched: [5, 6, 9]))
        let wait = proc.analyzer(fds, memory).analyze(processes: [100]).wait(pid: 100, tid: 100)
        #expect(wait?.object == .epoll)
        #expect(wait?.fd == 4)
        #expect(wait?.watching == [5, 6, 9])
        #expect(wait?.label() == "epoll_wait epoll (3 fds)")
    }

    /// poll is described as its first fd, the rest in `watching`; the peer's
    /// thread is found when it polls the peer's end, too.
    @Test func pollIsItsFirstDescriptorAndAPollingPeerThreadIsFound() {
        proc.process(100, "poller")
        proc.blocked(100, 100, "poller", Call.poll, [0x5000, 3, 1000])
        memory.words(pid: 100, at: 0x5000, [7, 1, UInt32(bitPattern: -1), 1, 8, 1])  // fds 7, -1 (ignored), 8
        proc.process(200, "peer")
        proc.blocked(200, 201, "peer-poll", Call.poll, [0x6000, 1, 0])
        memory.words(pid: 200, at: 0x6000, [11, 1])
        fds.add(pid: 100, FileDescriptorInfo(fd: 7, kind: .unix), peers: [WaitPeer(pid: 200, command: "peer", fd: 11)])
        let wait = proc.analyzer(fds, memory).analyze(processes: [100], followDepth: 0).wait(pid: 100, tid: 100)
        #expect(wait?.fd == 7)
        #expect(wait?.watching == [8])
        #expect(wait?.object == .unix)
        #expect(wait?.peers.first?.tid == 201)
        #expect(wait?.label() == "poll unix ← 200/201 peer-poll (+1 fds)")
    }

    @Test func selectReadsItsFdSets() {
        proc.process(100, "selector")
        proc.blocked(100, 100, "selector", Call.select, [10, 0x7000, 0, 0x7100])
        memory.words(pid: 100, at: 0x7000, [0b1000_0100, 0])  // fds 2 and 7
        memory.words(pid: 100, at: 0x7100, [0b10_0000_0000, 0])  // fd 9
        fds.add(pid: 100, FileDescriptorInfo(fd: 2, kind: .tty, path: "/dev/pts/1"))
        let wait = proc.analyzer(fds, memory).analyze(processes: [100]).wait(pid: 100, tid: 100)
        #expect(wait?.fd == 2)
        #expect(wait?.watching == [7, 9])
        #expect(wait?.path == "/dev/pts/1")
    }

    @Test func anUnreadablePollSetIsANoteNotAGuess() {
        proc.process(100, "poller")
        proc.blocked(100, 100, "poller", Call.poll, [0x5000, 2, 1000])
        let wait = proc.analyzer(fds, memory).analyze(processes: [100]).wait(pid: 100, tid: 100)
        #expect(wait == ThreadWait(syscall: "poll", syscallNumber: 7, note: "poll set at 0x5000 unreadable"))
    }

    @Test func theReaderIsMadeOncePerAnalysis() {
        var made = 0
        proc.process(100, "reader")
        proc.blocked(100, 100, "reader", Call.read, [3])
        proc.thread(100, 101, "reader2", syscall: "0 0x3 0x0 0x0 0x0 0x0 0x0 0x7ffd0000 0x7f0000001234")
        fds.add(pid: 100, FileDescriptorInfo(fd: 3, kind: .pipe))
        let analyzer = WaitAnalyzer(procfs: proc.procfs, makeReader: { made += 1; return fds }, memory: memory)
        _ = analyzer.analyze(processes: [100])
        #expect(made == 1)
        // Both threads read fd 3: described once for the pass.
        #expect(fds.describeCalls == 1)
    }
}
