import Engine
import ProcFS
import Testing
import TestSupport

@Suite(.timeLimit(.minutes(8))) struct SnapshotTests {
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
            // A thread blocked in a syscall keeps the pc and sp /proc showed just before the stop.
            if case .inSyscall(_, _, let sp, let pc)? = thread.syscall, thread.state == .sleeping {
                #expect(registers.pc == pc, "\(thread.name)")
                #expect(registers.sp == sp, "\(thread.name)")
            }
        }
        // The spinner runs its own code, not the C library's.
        let spinner = try #require(snapshot.threads.first { $0.name == "spinner-1" })
        let spinnerPC = try #require(spinner.registers?.pc)
        #expect(maps.contains { $0.isExecutable && $0.path == exe && $0.contains(spinnerPC) })

        #expect(TaskStates.untraced(pid), "\(TaskStates.of(pid))")
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
