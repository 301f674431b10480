import Foundation
import ProcFS
import TestSupport
@testable import Waits

import Testing

/// Waits of real processes, read from the real /proc and memory, with the
/// real descriptor reader left out where its answer does not matter.
@Suite struct LiveWaitTests {
    let procfs = ProcFS()

    func syscallName(_ pid: Int32, _ tid: Int32) -> String? {
        guard case .inSyscall(let number, _, _, _)? = procfs.syscall(pid, thread: tid) else { return nil }
        return SyscallNames.name(number)
    }

    @Test func sleepWaitsInClockNanosleepWithNoObject() throws {
        let sleep = try ChildProcess(path: "/bin/sleep", arguments: ["100"])
        defer { sleep.terminate() }
        #expect(waitUntil(timeout: 10) { syscallName(sleep.pid, sleep.pid) == "clock_nanosleep" })
        let report = WaitAnalyzer(makeReader: { FakeDescriptors() }).analyze(processes: [sleep.pid])
        let wait = try #require(report.wait(pid: sleep.pid, tid: sleep.pid))
        #expect(wait.syscall == "clock_nanosleep")
        #expect(wait.syscallNumber == 230)
        #expect(wait.object == nil)
        #expect(wait.fd == nil)
        #expect(wait.note == nil)
        #expect(report.processes == [sleep.pid: "sleep"])
        #expect(report.edges.isEmpty)
        #expect(TaskStates.untraced(sleep.pid))
    }

    /// bash's `wait` with no operand is wait4(-1): every child, here the one
    /// sleep. (dash, often /bin/sh, waits in rt_sigsuspend instead.)
    @Test func aShellWaitingForItsChildNamesTheChild() throws {
        // Its own group, killed whole: an orphaned sleep would keep whatever
        // descriptors it inherited from this test process open for 100 s.
        let shell = try ChildProcess(path: "/bin/bash", arguments: ["-c", "sleep 100 & wait"], ownProcessGroup: true)
        var child: Int32?
        defer {
            kill(-shell.pid, SIGKILL)
            shell.terminate()
            if let child { kill(child, SIGKILL) }
        }
        let settled = waitUntil(timeout: 10) {
            child = procfs.processIDs().first { procfs.stat($0)?.parentID == shell.pid && procfs.stat($0)?.name == "sleep" }
            return child != nil && syscallName(shell.pid, shell.pid) == "wait4"
                && syscallName(child!, child!) == "clock_nanosleep"
        }
        try #require(settled, "bash did not settle into wait4 with a sleep child")
        let report = WaitAnalyzer(makeReader: { FakeDescriptors() }).analyze(processes: [shell.pid], followDepth: 1)
        let wait = try #require(report.wait(pid: shell.pid, tid: shell.pid))
        #expect(wait.syscall == "wait4")
        #expect(wait.object == .child)
        #expect(wait.peers == [WaitPeer(pid: child!, command: "sleep")])
        #expect(wait.label() == "wait4 child ← \(child!) sleep")
        #expect(report.edges == [WaitEdge(from: ThreadRef(pid: shell.pid, tid: shell.pid), to: ThreadRef(pid: child!, tid: nil), via: .child)])
        // Followed into the child: its own wait is read too.
        #expect(report.wait(pid: child!, tid: child!)?.syscall == "clock_nanosleep")
        #expect(report.processes[child!] == "sleep")
    }

    /// A real pollfd array and real fd_sets, read out of python's memory.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")),
          arguments: ["p = select.poll(); p.register(r1); p.register(r2); p.poll(100000)",
                      "select.select([r1, r2], [], [], 100)"])
    func pollAndSelectSetsAreReadFromTheCallersMemory(call: String) throws {
        let script = "import os, select\nr1, _ = os.pipe()\nr2, _ = os.pipe()\nprint('ready', r1, r2, flush=True)\n" + call
        let python = try ChildProcess(path: "/usr/bin/python3", arguments: ["-c", script])
        defer { python.terminate() }
        let words = try python.waitForLine(startingWith: "ready").split(separator: " ").compactMap { Int32($0) }
        try #require(words.count == 2)
        #expect(waitUntil(timeout: 10) { ["poll", "ppoll", "select", "pselect6"].contains(syscallName(python.pid, python.pid)) })
        let fds = FakeDescriptors()
        fds.add(pid: python.pid, FileDescriptorInfo(fd: words[0], kind: .pipe, writable: false))
        let report = WaitAnalyzer(makeReader: { fds }).analyze([ThreadWaitInput(pid: python.pid, tid: python.pid)])
        let wait = try #require(report.wait(pid: python.pid, tid: python.pid))
        #expect(wait.fd == words[0])
        #expect(wait.watching == [words[1]])
        #expect(wait.object == .pipe)
        #expect(wait.note == nil)
    }

    @Test func liveMemoryReadsExactlyOrNotAtAll() {
        var words: [UInt32] = [0x1122_3344, 7]
        let memory = LiveWaitMemory()
        words.withUnsafeMutableBytes { raw in
            let address = UInt64(UInt(bitPattern: raw.baseAddress))
            #expect(memory.words32(pid: getpid(), address: address, count: 2) == [0x1122_3344, 7])
        }
        #expect(memory.bytes(pid: getpid(), address: 8, count: 4) == nil)
    }
}
