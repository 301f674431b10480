import CSignals
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The signal pipe on SIGUSR2 only: the test runner's own SIGINT and SIGTERM
/// must keep their meaning.
@Suite(.serialized) struct SignalPipeTests {
    @Test func installingTwiceGivesTheOnePipeAndASignalArrivesAsItsNumber() throws {
        let signals: [Int32] = [SIGUSR2]
        let first = signals.withUnsafeBufferPointer { lwp_signal_pipe_install($0.baseAddress, 1) }
        let second = signals.withUnsafeBufferPointer { lwp_signal_pipe_install($0.baseAddress, 1) }
        #expect(second == first)
        try #require(first >= 0)
        // To the process, not this thread: dispatch's worker threads block
        // signals, and the main thread takes them.
        kill(getpid(), SIGUSR2)
        var ready = pollfd(fd: first, events: Int16(POLLIN), revents: 0)
        try #require(poll(&ready, 1, 5000) == 1, "no byte on the pipe within 5 s")
        #expect(lwp_signal_pipe_wait(first) == SIGUSR2)
    }

    @Test func waitingOnABadDescriptorReturnsAtOnceWithTheError() {
        // Before, the watcher looped on such a read forever at full speed.
        // (Not a just-closed pipe: a parallel test could reuse its number.)
        #expect(lwp_signal_pipe_wait(-1) == -EBADF)
    }

    @Test func waitingWhenTheWriteEndIsGoneReturnsEndOfFile() {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        close(fds[1])
        #expect(lwp_signal_pipe_wait(fds[0]) == 0)
        close(fds[0])
    }
}
