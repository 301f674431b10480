import CPtrace
import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// Turns SIGINT, SIGTERM, SIGHUP and SIGQUIT into an orderly exit: the
/// cleanup (detaching from every target) runs first, then the signal is
/// raised again with its default action so the exit status tells the truth.
/// If the cleanup hangs, we exit anyway after two seconds: the kernel
/// detaches a dead tracer's tracees, and PTRACE_SEIZE lets them run on.
final class ShutdownOnSignals: @unchecked Sendable {
    static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]
    private let cleanup: @Sendable () async -> Void
    private var armed = true
    private var signalled = false
    private var lock = pthread_mutex_t()

    init(cleanup: @escaping @Sendable () async -> Void) {
        self.cleanup = cleanup
        pthread_mutex_init(&lock, nil)
        let fd = Self.signals.withUnsafeBufferPointer { lwp_signal_pipe_install($0.baseAddress, Int32($0.count)) }
        guard fd >= 0 else { return }
        watchedFD = fd
        // The watcher thread reads `fd` for the life of the process.
        DedicatedThread.start(name: "lwpscope-signals") { [self] in waitForSignal() }
    }

    private var watchedFD: Int32 = -1

    /// After the command has finished its own cleanup, signals just end us.
    func disarm() {
        pthread_mutex_lock(&lock)
        armed = false
        pthread_mutex_unlock(&lock)
    }

    /// When a signal is being handled, the command's own failure (its engine
    /// was closed under it) is not the story: wait for the handler to end us
    /// with that signal.
    func yieldToSignalHandler() async {
        pthread_mutex_lock(&lock)
        let wasSignalled = signalled
        pthread_mutex_unlock(&lock)
        guard wasSignalled else { return }
        while true { try? await Task.sleep(for: .seconds(60)) }
    }

    private func waitForSignal() {
        var byte: UInt8 = 0
        while read(watchedFD, &byte, 1) != 1 {}
        let signal = Int32(byte)
        pthread_mutex_lock(&lock)
        let runCleanup = armed
        signalled = true
        pthread_mutex_unlock(&lock)
        if runCleanup {
            let done = DispatchSemaphore(value: 0)
            let cleanup = self.cleanup
            Task.detached {
                await cleanup()
                done.signal()
            }
            _ = done.wait(timeout: .now() + .seconds(2))
        }
        lwp_reraise_default(signal)
    }
}
