@testable import Engine
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// waitpid statuses as the kernel encodes them, decoded.
@Suite struct TraceeObservationTests {
    /// A ptrace-stop: 0x7f, the stop signal, and the PTRACE_EVENT_* number above it.
    func stopped(_ signal: Int32, event: Int32 = 0) -> Int32 { (event << 16) | (signal << 8) | 0x7f }

    @Test func endsOfAThread() {
        #expect(TraceeObservation(waitStatus: 3 << 8) == .exited(.exited(code: 3)))
        #expect(TraceeObservation(waitStatus: 0) == .exited(.exited(code: 0)))
        #expect(TraceeObservation(waitStatus: SIGKILL) == .exited(.killed(signal: SIGKILL)))
        // With a core dump (0x80), still killed by the signal.
        #expect(TraceeObservation(waitStatus: SIGSEGV | 0x80) == .exited(.killed(signal: SIGSEGV)))
    }

    @Test func signalDeliveryStops() {
        #expect(TraceeObservation(waitStatus: stopped(SIGUSR1)) == .signalDelivery(SIGUSR1))
        // A single-step's trap looks like any SIGTRAP: the thread's state tells them apart.
        #expect(TraceeObservation(waitStatus: stopped(SIGTRAP)) == .signalDelivery(SIGTRAP))
        // Not yet in a group-stop: the stop signal is being delivered.
        #expect(TraceeObservation(waitStatus: stopped(SIGSTOP)) == .signalDelivery(SIGSTOP))
    }

    @Test func eventStopsAreInterruptsOrGroupStops() {
        #expect(TraceeObservation(waitStatus: stopped(SIGTRAP, event: 128)) == .interruptStop)
        for signal in [SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU] {
            #expect(TraceeObservation(waitStatus: stopped(signal, event: 128)) == .groupStop(signal: signal))
        }
    }

    @Test func ptraceEvents() {
        #expect(TraceeObservation(waitStatus: stopped(SIGTRAP, event: 1)) == .event(.fork))
        #expect(TraceeObservation(waitStatus: stopped(SIGTRAP, event: 2)) == .event(.vfork))
        #expect(TraceeObservation(waitStatus: stopped(SIGTRAP, event: 3)) == .event(.clone))
        #expect(TraceeObservation(waitStatus: stopped(SIGTRAP, event: 4)) == .event(.exec))
        #expect(TraceeObservation(waitStatus: stopped(SIGTRAP, event: 5)) == .event(.other(5)))
    }

    @Test func continuedIsNeitherAStopNorAnEnd() {
        #expect(TraceeObservation(waitStatus: 0xffff) == nil)
    }
}
