import Foundation
@testable import Guardian
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A real guardian (`lwpscope _guardian`) restoring real code in a running
/// fixture-points. Every "left alone" case also sends a sound record for
/// another range, which must be restored: a guardian that restored nothing
/// would fail them all. Serialized: the timings assume one guardian at a time.
@Suite(.serialized, .timeLimit(.minutes(5))) struct GuardianRestoreTests {
    @Test func patchesAreRestoredWithinASecondOfAnUncleanEnd() throws {
        let fixture = try PatchedFixture()
        let range = try fixture.patch(offset: 0, count: 8, fill: 0xCC)
        let link = try startGuardian()
        defer { finish(link) }
        #expect(link.send(fixture.patchRecord(range)))
        // While the link is open the guardian writes nothing.
        usleep(200_000)
        #expect(fixture.bytes(range) == range.patched)
        link.close(clean: false)
        let seconds = fixture.secondsUntil(range, holds: range.original, timeout: 5)
        #expect(seconds != nil && seconds! < 1, "restored after \(String(describing: seconds)) s")
        #expect(link.waitForExit(timeout: 5) == 0, "exit status 0: everything was restored")
    }

    @Test func aCleanEndAfterRestoredLeavesTheBytes() throws {
        let fixture = try PatchedFixture()
        // The test keeps the patched bytes in place, as if lwpscope had not
        // restored them after all: only the guardian could change them now.
        let range = try fixture.patch(offset: 0, count: 8, fill: 0xCC)
        let link = try startGuardian()
        defer { finish(link) }
        link.send(fixture.patchRecord(range))
        link.send(.restored(pid: fixture.child.pid, address: range.address))
        link.close(clean: true)
        #expect(link.exitStatus == 0, "reaped by close(clean: true), status 0")
        #expect(fixture.bytes(range) == range.patched)
    }

    @Test func byeAloneLeavesEveryPatch() throws {
        let fixture = try PatchedFixture()
        let range = try fixture.patch(offset: 0, count: 8, fill: 0xCC)
        let link = try startGuardian()
        defer { finish(link) }
        link.send(fixture.patchRecord(range))
        link.close(clean: true)
        #expect(link.exitStatus == 0)
        #expect(fixture.bytes(range) == range.patched)
    }

    @Test func restoredForgetsTheRecordEvenOnAnUncleanEnd() throws {
        let fixture = try PatchedFixture()
        let control = try fixture.patch(offset: 0, count: 8, fill: 0xCC)
        let forgotten = try fixture.patch(offset: 8, count: 8, fill: 0xCC)
        let scratch = try fixture.patch(offset: 16, count: 16, fill: 0x90)
        let link = try startGuardian()
        defer { finish(link) }
        link.send(fixture.patchRecord(control))
        link.send(fixture.patchRecord(forgotten))
        link.send(fixture.scratchRecord(scratch))
        link.send(.restored(pid: fixture.child.pid, address: forgotten.address))
        link.send(.restored(pid: fixture.child.pid, address: scratch.address))
        link.close(clean: false)
        #expect(link.waitForExit(timeout: 10) == 0)
        #expect(fixture.bytes(control) == control.original)
        #expect(fixture.bytes(forgotten) == forgotten.patched)
        #expect(fixture.bytes(scratch) == scratch.patched)
    }

    @Test func bytesThatAreNotThePatchedOnesAreLeftAlone() throws {
        let fixture = try PatchedFixture()
        let control = try fixture.patch(offset: 0, count: 8, fill: 0xCC)
        let changed = try fixture.patch(offset: 8, count: 8, fill: 0xCC)
        let link = try startGuardian()
        defer { finish(link) }
        link.send(fixture.patchRecord(control))
        // As if someone had written over our trap bytes since.
        var claimed = changed.patched
        claimed[7] = 0x90
        link.send(fixture.patchRecord(changed, claimedPatched: claimed))
        link.close(clean: false)
        #expect(link.waitForExit(timeout: 10) == 0, "left alone for cause is no failure")
        #expect(fixture.bytes(control) == control.original)
        #expect(fixture.bytes(changed) == changed.patched)
    }

    @Test func anotherStartTimeIsAnotherProcess() throws {
        let fixture = try PatchedFixture()
        let control = try fixture.patch(offset: 0, count: 8, fill: 0xCC)
        let reused = try fixture.patch(offset: 8, count: 8, fill: 0xCC)
        let link = try startGuardian()
        defer { finish(link) }
        link.send(fixture.patchRecord(control))
        link.send(fixture.patchRecord(reused, startTime: fixture.startTime + 1))
        link.close(clean: false)
        #expect(link.waitForExit(timeout: 10) == 0)
        #expect(fixture.bytes(control) == control.original)
        #expect(fixture.bytes(reused) == reused.patched)
    }

    @Test func scratchRangesAreRestoredOnlyAfterTheDelay() throws {
        let fixture = try PatchedFixture()
        let trap = try fixture.patch(offset: 0, count: 1, fill: 0xCC)
        let copy = try fixture.patch(offset: 16, count: 32, fill: 0x90)
        let link = try startGuardian()
        defer { finish(link) }
        link.send(fixture.scratchRecord(copy))
        link.send(fixture.patchRecord(trap))
        let closed = monotonicSeconds()
        link.close(clean: false)
        let trapSeconds = fixture.secondsUntil(trap, holds: trap.original, timeout: 5, from: closed)
        let copyAtTrapRestore = fixture.bytes(copy)
        let copySeconds = fixture.secondsUntil(copy, holds: copy.original, timeout: 10, from: closed)
        #expect(trapSeconds != nil && trapSeconds! < 1, "trap restored after \(String(describing: trapSeconds)) s")
        #expect(copyAtTrapRestore == copy.patched, "the copy stays while a thread may still run it")
        // The guardian sleeps a second after it reads EOF, which is after the close.
        #expect(copySeconds != nil && copySeconds! >= 0.95, "copy restored after \(String(describing: copySeconds)) s")
        #expect(link.waitForExit(timeout: 5) == 0)
    }

    @Test func junkLinesAreSkipped() throws {
        let fixture = try PatchedFixture()
        let range = try fixture.patch(offset: 0, count: 8, fill: 0xCC)
        let link = try startGuardian()
        defer { finish(link) }
        let junk = "hello\npatch 1 2\n\u{0}\u{7f}\u{1b}[2J\npatch \(fixture.child.pid) x y z w\nbye now\n"
            + String(repeating: "f", count: GuardianRecord.maximumLineLength + 10) + "\n"
        try sendRaw(junk, on: link)
        link.send(fixture.patchRecord(range))
        try sendRaw("restored garbage\n", on: link)
        link.close(clean: false)
        #expect(fixture.secondsUntil(range, holds: range.original, timeout: 5) != nil, "the record after junk still counts")
        #expect(link.waitForExit(timeout: 5) == 0)
    }

    /// (g): lwpscope gone by SIGKILL, the holder of the link here a child
    /// that inherited nothing else.
    @Test func sigkillOfTheProcessHoldingTheLinkRestores() throws {
        let fixture = try PatchedFixture()
        let range = try fixture.patch(offset: 0, count: 8, fill: 0xCC)
        let link = try startGuardian()
        defer { finish(link) }
        link.send(fixture.patchRecord(range))
        let holder = try spawnHolder(of: link.descriptor)
        var holderReaped = false
        defer { if !holderReaped { kill(holder, SIGKILL); reap(holder) } }
        #expect(ProcDescriptors.target(holder, fd: 3)?.hasPrefix("socket:[") == true, "the holder has the link as fd 3")
        link.close(clean: false)
        usleep(300_000)
        #expect(fixture.bytes(range) == range.patched, "the guardian waits while the link has a writer")
        let killed = monotonicSeconds()
        kill(holder, SIGKILL)
        reap(holder)
        holderReaped = true
        let seconds = fixture.secondsUntil(range, holds: range.original, timeout: 5, from: killed)
        #expect(seconds != nil && seconds! < 1, "restored after \(String(describing: seconds)) s")
    }

    @Test func aSendToAGuardianThatIsGoneReportsItAndDoesNotKillUs() throws {
        let link = try startGuardian()
        defer { finish(link) }
        kill(link.pid, SIGKILL)
        #expect(link.waitForExit(timeout: 10) != nil)
        // SIGPIPE here would end the whole test process.
        #expect(!link.send(.restored(pid: 1, address: 0x1000)))
        #expect(link.isBroken)
        #expect(!link.send(.bye))
    }

    /// (f): its own session, untraced, holding nothing of ours, the
    /// signals it ignores its own.
    @Test func theGuardianIsAloneInItsSessionAndHoldsOnlyItsLink() throws {
        try withStrayInheritables { stray throws in
            let link = try startGuardian()
            defer { finish(link) }
            #expect(getsid(link.pid) == link.pid)
            #expect(getsid(link.pid) != getsid(0))
            #expect(statusField("TracerPid", of: link.pid) == "0")
            let ignored = signalMask([SIGHUP, SIGINT, SIGQUIT, SIGPIPE, SIGTERM, SIGTSTP, SIGTTIN, SIGTTOU])
            #expect(statusMask("SigIgn", of: link.pid) == ignored, "only what the guardian ignores itself")

            let descriptors = ProcDescriptors.all(link.pid)
            #expect(descriptors[0]?.hasPrefix("socket:[") == true)
            #expect(descriptors[1] == "/dev/null")
            #expect(descriptors[2] == "/dev/null")
            // Anything else is the Swift runtime's own (libdispatch's epoll,
            // eventfd and timerfd behind the async main), never a file or pipe.
            let others = descriptors.filter { $0.key > 2 && !$0.value.hasPrefix("anon_inode:") }
            #expect(others.isEmpty, "the guardian holds \(others)")
            #expect(!descriptors.values.contains(stray))
            #expect(fcntl(link.descriptor, F_GETFD) & FD_CLOEXEC != 0, "our end is close-on-exec")
        }
    }

    /// The spawn alone, seen in a plain program (a Swift guardian's threads
    /// block signals and open descriptors of their own, hiding what it got).
    @Test func theSpawnedProgramGetsNoDescriptorMaskOrIgnoredSignalOfOurs() throws {
        try withStrayInheritables { stray throws in
            let link = try GuardianLink.start(executable: "/bin/sleep", arguments: ["30"])
            defer { kill(link.pid, SIGKILL); link.waitForExit(timeout: 10) }
            try waitUntilExecuted(link.pid, "sleep")
            let descriptors = ProcDescriptors.all(link.pid)
            #expect(descriptors.keys.sorted() == [0, 1, 2], "\(descriptors)")
            #expect(descriptors[0]?.hasPrefix("socket:[") == true)
            #expect(descriptors[1] == "/dev/null" && descriptors[2] == "/dev/null")
            #expect(!descriptors.values.contains(stray))
            #expect(statusMask("SigBlk", of: link.pid) == 0)
            #expect(statusMask("SigIgn", of: link.pid) == 0)
            #expect(getsid(link.pid) == link.pid)
        }
    }
}

/// Runs `body` with what a careless spawn would pass on: a pipe open here
/// without close-on-exec (`body` gets its link), SIGUSR1 blocked in this
/// thread and SIGUSR2 ignored.
func withStrayInheritables(_ body: (String) throws -> Void) throws {
    var stray: [Int32] = [-1, -1]
    try #require(pipe(&stray) == 0)
    defer { close(stray[0]); close(stray[1]) }
    let strayLink = try #require(ProcDescriptors.target(getpid(), fd: stray[1]))
    var blocked = sigset_t(), previous = sigset_t()
    sigemptyset(&blocked)
    sigaddset(&blocked, SIGUSR1)
    pthread_sigmask(SIG_BLOCK, &blocked, &previous)
    defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
    let previousUSR2 = signal(SIGUSR2, SIG_IGN)
    defer { signal(SIGUSR2, previousUSR2) }
    try body(strayLink)
}

func statusField(_ name: String, of pid: Int32) -> String? {
    let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
    return status.split(separator: "\n").first { $0.hasPrefix(name + ":") }.map {
        $0.dropFirst(name.count + 1).trimmingCharacters(in: .whitespaces)
    }
}

/// A signal mask line of /proc/PID/status, without signals 32 and 33:
/// glibc's own (thread cancellation, setxid), which posix_spawn cannot reset.
func statusMask(_ name: String, of pid: Int32) -> UInt64? {
    statusField(name, of: pid).flatMap { UInt64($0, radix: 16) }.map { $0 & ~(1 << 31 | 1 << 32) }
}

func signalMask(_ signals: [Int32]) -> UInt64 {
    signals.reduce(0) { $0 | 1 << UInt64($1 - 1) }
}

/// Waits until `pid` runs `command` (its exec done, so /proc shows the
/// program's own state rather than posix_spawn's halfway one).
func waitUntilExecuted(_ pid: Int32, _ command: String, timeout: Double = 30) throws {
    let start = monotonicSeconds()
    while monotonicSeconds() - start < timeout {
        if let comm = try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8), comm == command + "\n" { return }
        usleep(2000)
    }
    throw TestFailure("process \(pid) did not become \(command) in \(timeout) s")
}

/// Writes bytes straight onto the link, bypassing the record encoder.
func sendRaw(_ text: String, on link: GuardianLink) throws {
    let bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
        let n = bytes[offset...].withUnsafeBytes { send(link.descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        try #require(n > 0, "send: \(errno)")
        offset += n
    }
}

/// `sleep 30` holding `descriptor` as its fd 3, stdin and stdout on /dev/null.
func spawnHolder(of descriptor: Int32) throws -> pid_t {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_adddup2(&actions, descriptor, 3)
    let words: [String] = ["/bin/sleep", "30"]
    let argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var pid: pid_t = 0
    let rc = posix_spawn(&pid, "/bin/sleep", &actions, nil, argv, environ)
    try #require(rc == 0, "posix_spawn sleep: \(rc)")
    return pid
}

func reap(_ pid: pid_t) {
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0, errno == EINTR {}
}
