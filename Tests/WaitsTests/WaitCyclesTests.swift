import Testing
@testable import Waits

/// Cycle finding as a pure step over edges.
@Suite struct WaitCyclesTests {
    func t(_ pid: Int32, _ tid: Int32?) -> ThreadRef { ThreadRef(pid: pid, tid: tid) }
    func edge(_ a: ThreadRef, _ b: ThreadRef, _ via: WaitObjectKind = .mutex) -> WaitEdge { WaitEdge(from: a, to: b, via: via) }

    @Test func eachCycleOnceFromItsLowestThreadInWaitOrder() {
        let a = t(1, 10), b = t(1, 11), c = t(2, 20)
        // a → c → b → a, and a → b → a: two cycles sharing a and b.
        let cycles = WaitCycles.find(in: [edge(c, b), edge(b, a), edge(a, c), edge(a, b), edge(a, b, .unix)])
        #expect(cycles == [[a, b], [a, c, b]])
    }

    @Test func processNodesAndChainsAreNoCycles() {
        let a = t(1, 10), b = t(1, 11)
        // a waits on process 2 (no thread known), process 2's thread waits on b: no cycle through "the whole process".
        #expect(WaitCycles.find(in: [edge(a, t(2, nil)), edge(t(2, 20), a), edge(b, a)]).isEmpty)
    }

    /// A dense graph (every thread waiting on every other) has factorially
    /// many cycles; the walk stops at its caps instead.
    @Test func aDenseGraphIsCapped() {
        let nodes = (0..<12).map { t(1, Int32($0)) }
        let edges = nodes.flatMap { a in nodes.filter { $0 != a }.map { edge(a, $0) } }
        let cycles = WaitCycles.find(in: edges)
        #expect(cycles.count == WaitCycles.maxCycles)
        #expect(Set(cycles).count == cycles.count)
    }
}

/// Syscall names and what their arguments mean.
@Suite struct SyscallDecodingTests {
    @Test func namesByNumber() {
        #expect(SyscallNames.name(0) == "read")
        #expect(SyscallNames.name(202) == "futex")
        #expect(SyscallNames.name(288) == "accept4")
        #expect(SyscallNames.name(441) == "epoll_pwait2")
        #expect(SyscallNames.name(400) == "syscall 400")
        #expect(SyscallNames.name(-5) == "syscall -5")
    }

    @Test func argumentsByName() {
        let six: (UInt64, UInt64) -> [UInt64] = { [$0, $1, 0, 0, 0, 0] }
        #expect(BlockingCall.decode(name: "recvmsg", arguments: six(7, 0)) == .descriptor(7))
        #expect(BlockingCall.decode(name: "epoll_pwait", arguments: six(4, 0)) == .epoll(4))
        #expect(BlockingCall.decode(name: "ppoll", arguments: six(0x1000, 3)) == .poll(address: 0x1000, count: 3))
        #expect(BlockingCall.decode(name: "wait4", arguments: six(UInt64(bitPattern: -1), 0)) == .child(.anyChild))
        #expect(BlockingCall.decode(name: "wait4", arguments: six(UInt64(bitPattern: -77), 0)) == .child(.group(77)))
        #expect(BlockingCall.decode(name: "wait4", arguments: six(0, 0)) == .child(.callersGroup))
        #expect(BlockingCall.decode(name: "waitid", arguments: six(0, 0)) == .child(.anyChild))
        #expect(BlockingCall.decode(name: "waitid", arguments: six(3, 9)) == .child(.pidfd(9)))
        #expect(BlockingCall.decode(name: "nanosleep", arguments: six(0, 0)) == .nothing)
        #expect(BlockingCall.decode(name: "read", arguments: [1, 2]) == .nothing)
    }

    @Test func futexOperationsIgnoreTheirFlags() {
        #expect(FutexOperation(raw: 6 | 128).holdsOwnerInWord)
        #expect(FutexOperation(raw: 13 | 128 | 256).holdsOwnerInWord)
        #expect(FutexOperation(raw: 11).holdsOwnerInWord)
        #expect(!FutexOperation(raw: 0 | 128).holdsOwnerInWord)
        #expect(FutexOperation(raw: 9 | 128 | 256).command == FutexOperation.waitBitset)
    }
}
