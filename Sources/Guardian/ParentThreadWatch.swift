#if canImport(Glibc)
import Glibc
#endif

/// The guardian's early warning. lwpscope's tracees are let go the moment
/// its engine thread exits, but the link's descriptor closes only after
/// the whole process has torn down its memory, which for lwpscope (debug
/// files mapped) takes milliseconds: threads reaching a trap byte meanwhile
/// die. The engine thread starts the guardian, so asking for a signal at
/// the death of the parent *thread* (PR_SET_PDEATHSIG is per thread) wakes
/// the guardian as the kernel lets the tracees go.
enum ParentThreadWatch {
    /// The read end to poll beside the link: readable once the parent thread is gone.
    static func start() -> Int32? {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return nil }
        for fd in fds {
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            _ = fcntl(fd, F_SETFL, O_NONBLOCK)
        }
        wakeDescriptor = fds[1]
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in
            var byte: UInt8 = 1
            _ = write(ParentThreadWatch.wakeDescriptor, &byte, 1)
        }
        action.sa_flags = SA_RESTART
        guard sigaction(SIGUSR1, &action, nil) == 0, askForSignalAtParentDeath(SIGUSR1) else { return nil }
        return fds[0]
    }

    /// prctl(PR_SET_PDEATHSIG, signal): Glibc's module does not export prctl
    /// (its declaration is variadic), so it is looked up by name.
    private static func askForSignalAtParentDeath(_ signal: Int32) -> Bool {
        typealias Prctl = @convention(c) (Int32, UInt, UInt, UInt, UInt) -> Int32
        guard let symbol = dlsym(nil, "prctl") else { return false }
        let prctl = unsafeBitCast(symbol, to: Prctl.self)
        let setParentDeathSignal: Int32 = 1  // PR_SET_PDEATHSIG, <linux/prctl.h>
        return prctl(setParentDeathSignal, UInt(signal), 0, 0, 0) == 0
    }

    /// Written by the signal handler only (async-signal-safe: one write).
    nonisolated(unsafe) static var wakeDescriptor: Int32 = -1
}
