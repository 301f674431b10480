import CSignals
#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Synchronization

/// Turns SIGINT, SIGTERM, SIGHUP and SIGQUIT into an orderly exit: the
/// cleanup (detaching from every target) runs first, then the signal is
/// raised again with its default action so the exit status tells the truth.
/// If the cleanup hangs, we exit anyway after two seconds: the kernel
/// detaches a dead tracer's tracees, and PTRACE_SEIZE lets them run on.
///
/// The process has one signal pipe and one watcher (`SignalWatcher`); the
/// latest armed shutdown's cleanup is the one that runs.
final class ShutdownOnSignals: Sendable {
    static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]
    let cleanup: @Sendable () async -> Void

    init(cleanup: @escaping @Sendable () async -> Void) {
        self.cleanup = cleanup
        SignalWatcher.shared.arm(self)
    }

    /// After the command has finished its own cleanup, signals just end us.
    func disarm() {
        SignalWatcher.shared.disarm(self)
    }

    /// When a signal is being handled, the command's own failure (its engine
    /// was closed under it) is not the story: wait for the handler to end us
    /// with that signal.
    func yieldToSignalHandler() async {
        guard SignalWatcher.shared.isHandlingSignal else { return }
        while true { try? await Task.sleep(for: .seconds(60)) }
    }
}

/// The process's one reader of the signal pipe, on a thread of its own.
final class SignalWatcher: Sendable {
    static let shared = SignalWatcher()

    private struct State {
        var armed: [ShutdownOnSignals] = []
        var handlingSignal = false
    }

    private let state = Mutex(State())

    private init() {
        let fd = ShutdownOnSignals.signals.withUnsafeBufferPointer {
            lwp_signal_pipe_install($0.baseAddress, Int32($0.count))
        }
        guard fd >= 0 else { return }
        DedicatedThread.start(name: "lwpscope-signals") { [self] in watch(fd) }
    }

    func arm(_ shutdown: ShutdownOnSignals) { state.withLock { $0.armed.append(shutdown) } }
    func disarm(_ shutdown: ShutdownOnSignals) { state.withLock { $0.armed.removeAll { $0 === shutdown } } }
    var isHandlingSignal: Bool { state.withLock { $0.handlingSignal } }

    private func watch(_ fd: Int32) {
        let signal = lwp_signal_pipe_wait(fd)
        guard signal > 0 else {
            // The pipe cannot be read again (EBADF, EOF): stop watching, and
            // let the signals end us without a cleanup rather than be lost.
            ShutdownOnSignals.signals.withUnsafeBufferPointer {
                lwp_signal_restore_default($0.baseAddress, Int32($0.count))
            }
            return
        }
        let shutdown = state.withLock { state in
            state.handlingSignal = true
            return state.armed.last
        }
        if let cleanup = shutdown?.cleanup {
            let done = DispatchSemaphore(value: 0)
            Task.detached {
                await cleanup()
                done.signal()
            }
            _ = done.wait(timeout: .now() + .seconds(2))
        }
        lwp_reraise_default(signal)
    }
}
