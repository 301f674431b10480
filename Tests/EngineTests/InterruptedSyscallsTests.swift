@testable import Engine
import ProcFS
import Testing

/// Naming the call a thread still sits in after our stop made it restart_syscall.
@Suite struct InterruptedSyscallsTests {
    func call(_ number: Int, sp: UInt64 = 0x7000, pc: UInt64 = 0x4000) -> ThreadSyscall {
        .inSyscall(number: number, arguments: [1, 2, 3, 4, 5, 6], stackPointer: sp, programCounter: pc)
    }

    @Test func aRestartAtTheSamePlaceIsTheCallBeforeIt() {
        var calls = InterruptedSyscalls()
        #expect(calls.resolve(10, call(230)) == call(230))
        #expect(calls.resolve(10, call(219)) == call(230))
        #expect(calls.resolve(10, call(219)) == call(230))
    }

    @Test func aRestartElsewhereOrUnseenStaysARestart() {
        var calls = InterruptedSyscalls()
        #expect(calls.resolve(10, call(219)) == call(219))
        _ = calls.resolve(11, call(7))
        #expect(calls.resolve(11, call(219, sp: 0x6000)) == call(219, sp: 0x6000))
        _ = calls.resolve(12, call(230))
        #expect(calls.resolve(12, .running) == .running)
        #expect(calls.resolve(12, call(219)) == call(219))
        _ = calls.resolve(13, call(230))
        calls.keepOnly([10])
        #expect(calls.resolve(13, call(219)) == call(219))
    }
}
