import Engine
import ProcFS
import Testing
import TestSupport

@Suite(.ownThreads, .timeLimit(.minutes(8))) struct SnapshotTests {
    static let expectedNames = ["spinner-1", "sleeper", "condwait", "reader"] + (1...7).map { "worker-\($0)" }

    @Test(arguments: ["fixture-threads-fp", "fixture-threads-nofp"])
    func everyThreadWithItsNameAndRegisters(fixture: String) async throws {
        let child = try startFixture(fixture)
        let pid = child.pid
        let engine = TraceEngine()
        try await engine.attach(pid)
        let snapshot = try await engine.snapshot(pid)
        await engine.close()

        let procfs = ProcFS()
        let tids = try #require(procfs.threadIDs(pid))
        #expect(snapshot.threads.map(\.tid) == tids)
        #expect(snapshot.pid == pid)
        #expect(snapshot.stoppedMicroseconds > 0)
        for thread in snapshot.threads {
            #expect(thread.name == procfs.comm(pid, thread: thread.tid))
        }
        #expect(Set(snapshot.threads.map(\.name)) == Set(Self.expectedNames + [String(fixture.prefix(15))]))

        let maps = try #require(procfs.memoryMap(pid))
        let exe = try #require(procfs.executablePath(pid))
        for thread in snapshot.threads {
            let registers = try #require(thread.registers, "no registers for \(thread.tid)")
            #expect(maps.contains { $0.isExecutable && $0.contains(registers.pc) }, "pc of \(thread.name)")
            #expect(maps.contains { $0.isWritable && $0.contains(registers.sp) }, "sp of \(thread.name)")
        }
        if let spinner = snapshot.threads.first(where: { $0.name == "spinner-1" }), spinner.state == .running {
            #expect(spinner.syscall == .running)
        }
        // The spinner runs its own code, not the C library's.
        let spinner = try #require(snapshot.threads.first { $0.name == "spinner-1" })
        let spinnerPC = try #require(spinner.registers?.pc)
        #expect(maps.contains { $0.isExecutable && $0.path == exe && $0.contains(spinnerPC) })

        #expect(TaskStates.untraced(pid), "\(TaskStates.of(pid))")
    }

    /// The snapshot reads each thread's syscall from its registers; the
    /// kernel prints /proc/TID/syscall from the same registers, so while the
    /// threads are stopped both must agree, argument by argument (futex's
    /// fourth argument is r10, not rcx, which the fixture's condwait shows).
    @Test func theSyscallFromTheRegistersIsWhatProcSays() async throws {
        let child = try startFixture("fixture-threads-nofp")
        let pid = child.pid
        let engine = TraceEngine()
        try await engine.attach(pid)
        let (compared, mismatches) = try await engine.withAllThreadsStopped(pid) { stopped in
            var compared = 0, mismatches: [String] = []
            for (tid, registers) in stopped.threads {
                let file = ProcFS().syscall(pid, thread: tid)
                guard case .inSyscall? = file else { continue }
                compared += 1
                if registers.syscall(wasRunning: false) != file { mismatches.append("\(tid): \(registers.syscall(wasRunning: false)) vs \(String(describing: file))") }
            }
            return (compared, mismatches)
        }
        await engine.close()
        #expect(compared >= 8, "only \(compared) threads were in a syscall")
        #expect(mismatches.isEmpty, "\(mismatches)")
        #expect(TaskStates.untraced(pid))
    }

    /// A stop turns nanosleep into restart_syscall (/proc shows it so after
    /// the first snapshot); the next snapshot still names clock_nanosleep.
    @Test func aSleepInterruptedByOurStopIsStillASleep() async throws {
        let child = try startFixture("fixture-threads-nofp")
        let pid = child.pid
        let engine = TraceEngine()
        try await engine.attach(pid)
        func sleeperCall(_ snapshot: ProcessSnapshot) -> Int? {
            guard case .inSyscall(let number, _, _, _)? = snapshot.threads.first(where: { $0.name == "sleeper" })?.syscall else { return nil }
            return number
        }
        let first = try await engine.snapshot(pid)
        let sleeper = try #require(first.threads.first { $0.name == "sleeper" }?.tid)
        var sawRestart = false
        var calls: [Int?] = [sleeperCall(first)]
        for _ in 0..<5 {
            usleepMillis(20)
            if case .inSyscall(219, _, _, _)? = ProcFS().syscall(pid, thread: sleeper) { sawRestart = true }
            calls.append(sleeperCall(try await engine.snapshot(pid)))
        }
        await engine.close()
        #expect(sawRestart, "the kernel never showed restart_syscall: this test shows nothing")
        #expect(calls.allSatisfy { $0 == 230 }, "sleeper's calls: \(calls)")
        #expect(TaskStates.untraced(pid))
    }

    @Test func stackCopyStartsBelowTheStackPointer() async throws {
        let child = try startFixture("fixture-threads-nofp")
        let engine = TraceEngine()
        try await engine.attach(child.pid)
        let snapshot = try await engine.snapshot(child.pid, stackBytes: 4096)
        await engine.close()
        for thread in snapshot.threads {
            let registers = try #require(thread.registers)
            let stack = try #require(thread.stack, "no stack for \(thread.name)")
            #expect(stack.address == registers.sp - 128)
            #expect(stack.bytes.count > 128)
            #expect(stack.contains(registers.sp, count: 8))
        }
        #expect(TaskStates.untraced(child.pid))
    }

    @Test func fiftySnapshotsUnderThreadChurn() async throws {
        let child = try startFixture("fixture-churn")
        let engine = TraceEngine()
        try await engine.attach(child.pid)
        var sawChurn = false
        for _ in 0..<50 {
            let snapshot = try await engine.snapshot(child.pid)
            #expect(snapshot.threads.contains { $0.name == "steady" && $0.registers != nil })
            #expect(snapshot.threads.contains { $0.tid == child.pid && $0.registers != nil })
            sawChurn = sawChurn || snapshot.threads.contains { $0.name == "churn" }
        }
        await engine.close()
        #expect(sawChurn)
        #expect(TaskStates.untraced(child.pid), "\(TaskStates.of(child.pid))")
    }

    @Test func attachAndDetachRepeatedlyUnderChurn() async throws {
        let child = try startFixture("fixture-churn")
        for _ in 0..<20 {
            let engine = TraceEngine()
            try await engine.attach(child.pid)
            _ = try await engine.snapshot(child.pid)
            await engine.close()
        }
        #expect(TaskStates.untraced(child.pid), "\(TaskStates.of(child.pid))")
    }
}
