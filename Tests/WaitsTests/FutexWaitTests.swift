import Testing
@testable import Waits

/// Futex waits against a fake /proc and fake memory: mutexes by frames, by
/// memory and by PI word, their owners and cycles; condvars; plain futexes.
@Suite struct FutexWaitTests {
    let proc = FakeProc()
    let memory = FakeMemory()
    static let privateWait: UInt64 = 128  // FUTEX_WAIT | FUTEX_PRIVATE_FLAG

    init() {
        proc.process(100, "daemon")
    }

    func analyze(_ inputs: [ThreadWaitInput], depth: Int = 4) -> WaitReport {
        proc.analyzer(FakeDescriptors(), memory).analyze(inputs, followDepth: depth)
    }

    @Test func twoThreadsLockingEachOthersMutexAreADeadlock() {
        proc.blocked(100, 104, "lock-b", Call.futex, [0xb000, Self.privateWait, 2])
        proc.blocked(100, 103, "lock-a", Call.futex, [0xa000, Self.privateWait, 2])
        memory.mutex(pid: 100, at: 0xa000, lock: 2, owner: 104)
        memory.mutex(pid: 100, at: 0xb000, lock: 2, owner: 103)
        let frames = ["__lll_lock_wait+0x2e", "___pthread_mutex_lock+0x93", "lock_both"]
        let report = analyze([ThreadWaitInput(pid: 100, tid: 104, frames: frames), ThreadWaitInput(pid: 100, tid: 103, frames: frames)])
        let a = report.wait(pid: 100, tid: 103)
        #expect(a?.object == .mutex)
        #expect(a?.owner == 104)
        #expect(a?.ownerPid == 100)
        #expect(a?.ownerName == "lock-b")
        #expect(a?.label() == "mutex ← 104 lock-b")
        #expect(report.wait(pid: 100, tid: 104)?.owner == 103)
        let lockA = ThreadRef(pid: 100, tid: 103), lockB = ThreadRef(pid: 100, tid: 104)
        #expect(Set(report.edges) == [WaitEdge(from: lockA, to: lockB, via: .mutex), WaitEdge(from: lockB, to: lockA, via: .mutex)])
        #expect(report.cycles == [[lockA, lockB]])
        #expect(report.deadlocked == [lockA, lockB])
    }

    @Test func withoutFramesAMutexIsKnownByItsMemory() {
        proc.blocked(100, 105, "waiter", Call.futex, [0xc000, Self.privateWait, 2])
        proc.thread(100, 106, "held-worker", syscall: "running", state: "R")
        memory.mutex(pid: 100, at: 0xc000, lock: 2, owner: 106)
        let report = analyze([ThreadWaitInput(pid: 100, tid: 105)])
        let wait = report.wait(pid: 100, tid: 105)
        #expect(wait?.object == .mutex)
        #expect(wait?.owner == 106)
        #expect(wait?.label(held: [ThreadRef(pid: 100, tid: 106)]) == "mutex ← 106 held-worker (held)")
        #expect(wait?.followTarget == ThreadRef(pid: 100, tid: 106))
        // The owner was followed and read: it runs, so it has no wait.
        #expect(report.waits.count == 1)
    }

    @Test func anOwnerThatIsNoThreadOfTheProcessIsNotNamed() {
        proc.blocked(100, 105, "waiter", Call.futex, [0xc000, Self.privateWait, 2])
        memory.mutex(pid: 100, at: 0xc000, lock: 2, owner: 999)
        let frames = ["pthread_mutex_lock"]
        let wait = analyze([ThreadWaitInput(pid: 100, tid: 105, frames: frames)]).wait(pid: 100, tid: 105)
        #expect(wait?.object == .mutex)
        #expect(wait?.owner == nil)
        #expect(wait?.ownerPid == nil)
        #expect(wait?.note == "mutex owner 999 is not a live thread of 100")
        // Without frames the same word is not mutex-like: a plain futex.
        let bare = analyze([ThreadWaitInput(pid: 100, tid: 105)]).wait(pid: 100, tid: 105)
        #expect(bare?.object == .futex)
        #expect(bare?.label() == "futex")
    }

    @Test func aMutexWhoseMemoryCannotBeReadSaysSo() {
        proc.blocked(100, 105, "waiter", Call.futex, [0xd000, Self.privateWait, 2])
        let wait = analyze([ThreadWaitInput(pid: 100, tid: 105, frames: ["inline __lll_lock_wait"])]).wait(pid: 100, tid: 105)
        #expect(wait?.object == .mutex)
        #expect(wait?.owner == nil)
        #expect(wait?.note == "mutex at 0xd000 unreadable")
    }

    /// FUTEX_LOCK_PI | FUTEX_PRIVATE_FLAG: the owner is the word itself, with
    /// FUTEX_WAITERS (bit 31) set.
    @Test func aPIFutexNamesItsOwnerFromTheWord() {
        proc.blocked(100, 105, "pi-waiter", Call.futex, [0xe000, 6 | 128, 0])
        proc.blocked(100, 107, "pi-owner", Call.clockNanosleep, [0, 0, 0x1000])
        memory.words(pid: 100, at: 0xe000, [0x8000_0000 | 107])
        let report = analyze([ThreadWaitInput(pid: 100, tid: 105)])
        #expect(report.wait(pid: 100, tid: 105)?.owner == 107)
        #expect(report.wait(pid: 100, tid: 107)?.syscall == "clock_nanosleep")
        #expect(report.edges == [WaitEdge(from: ThreadRef(pid: 100, tid: 105), to: ThreadRef(pid: 100, tid: 107), via: .mutex)])
    }

    @Test func conditionVariablesByFramesOrByTheMatchAnyBitset() {
        proc.blocked(100, 108, "cond-waiter", Call.futex, [0xf000, 9 | 128, 0, 0, 0, 0xffff_ffff])
        memory.words(pid: 100, at: 0xf000, [0, 0, 0, 0, 0])
        let byOp = analyze([ThreadWaitInput(pid: 100, tid: 108)]).wait(pid: 100, tid: 108)
        #expect(byOp?.object == .condvar)
        #expect(byOp?.label() == "futex condvar")
        #expect(byOp?.peers == [])

        proc.blocked(100, 109, "cond-waiter2", Call.futex, [0xf100, Self.privateWait, 0])
        let byFrames = analyze([ThreadWaitInput(pid: 100, tid: 109, frames: ["__futex_abstimed_wait_common", "___pthread_cond_wait+0x10"])])
        #expect(byFrames.wait(pid: 100, tid: 109)?.object == .condvar)
        #expect(byFrames.wait(pid: 100, tid: 109)?.note == nil)
    }

    /// A condvar wait re-taking its mutex is a mutex wait: the innermost frame decides.
    @Test func theInnermostLockFunctionDecides() {
        #expect(FutexWait.evidence(in: ["__lll_lock_wait", "__pthread_mutex_cond_lock", "pthread_cond_wait"]) == .mutex)
        #expect(FutexWait.evidence(in: ["syscall", "pthread_cond_timedwait+0x1"]) == .condvar)
        #expect(FutexWait.evidence(in: ["my_pthread_mutex_lock_wrapper"]) == nil)
        #expect(FutexWait.evidence(in: nil) == nil)
    }

    @Test func aThreadRelockingItsOwnMutexIsACycleOfOne() {
        proc.blocked(100, 105, "self", Call.futex, [0xc000, Self.privateWait, 2])
        memory.mutex(pid: 100, at: 0xc000, lock: 2, owner: 105)
        let report = analyze([ThreadWaitInput(pid: 100, tid: 105)])
        #expect(report.cycles == [[ThreadRef(pid: 100, tid: 105)]])
    }
}
