import ProcFS

/// One consistent instant of a process: every thread stopped together.
public struct ProcessSnapshot: Sendable {
    public var pid: Int32
    public var command: String
    /// How long the process was stopped for this snapshot (first interrupt to last resume).
    public var stoppedMicroseconds: Int
    public var threads: [ThreadSnapshot]
}

/// A thread as it was at the snapshot's instant.
public struct ThreadSnapshot: Sendable {
    public var tid: Int32
    public var name: String
    /// The state /proc gave just before the stop (a stop itself would read "t").
    public var state: TaskState
    public var lastCPU: Int
    /// CPU time used so far, in clock ticks: two snapshots give CPU%.
    public var cpuTicks: UInt64 = 0
    public var waitChannel: String?
    public var syscall: ThreadSyscall?
    /// nil when the thread could not be stopped in time (e.g. a vfork parent
    /// waiting in the kernel) or exited during the snapshot.
    public var registers: ThreadRegisters?
    /// A copy of the top of the stack taken while stopped, when asked for.
    public var stack: StackCopy?
    /// Why there are no registers, when there are none.
    public var unavailableReason: String?
}

/// Bytes copied from the target's memory starting at `address`.
public struct StackCopy: Sendable {
    public var address: UInt64
    public var bytes: [UInt8]

    public func contains(_ address: UInt64, count: Int) -> Bool {
        address >= self.address && address &+ UInt64(count) <= self.address &+ UInt64(bytes.count)
            && address &+ UInt64(count) >= address
    }
}

/// What a caller sees inside `withAllThreadsStopped`: the registers of every stopped thread.
public struct StoppedProcess: Sendable {
    public var pid: Int32
    public var threads: [Int32: ThreadRegisters]
    /// Threads that did not stop before the deadline.
    public var unstoppable: [Int32]
}

/// Something that happened to a traced process while the engine watched it.
public enum EngineEvent: Sendable, Equatable {
    case threadCreated(pid: Int32, tid: Int32)
    case threadExited(pid: Int32, tid: Int32)
    case processForked(parent: Int32, child: Int32)
    case processExecuted(pid: Int32)
    case processExited(pid: Int32, status: TerminationStatus)
    /// A new thread or child (its `threadCreated` or `processForked` came
    /// first) is kept stopped at birth until released.
    case heldAtBirth(pid: Int32, tid: Int32)
    /// A signal that stopped a tracee was delivered to it as it resumed.
    case signalPassedOn(pid: Int32, tid: Int32, signal: Int32)
    /// A thread reached hold point `pointID` and is parked there until released.
    case parkedAtPoint(pid: Int32, tid: Int32, pointID: Int)
    /// Held at its exec, before the new program `path` runs: an exec rule
    /// matched it, or (`start`) it is the program `launch` started.
    case heldAtExec(pid: Int32, path: String, start: Bool)
    /// Held at the delivery of `signal`, which would kill it; `address` is
    /// the fault address (0 when the signal has none).
    case heldAtSignal(pid: Int32, tid: Int32, signal: Int32, address: UInt64)
    /// Followed only for the exec rules, it exec'd `path`, which none
    /// matches: let go untouched.
    case detachedAtExec(pid: Int32, path: String)
}

public enum TerminationStatus: Sendable, Equatable, CustomStringConvertible {
    case exited(code: Int32)
    case killed(signal: Int32)

    public var description: String {
        switch self {
        case .exited(let code): "exited with status \(code)"
        case .killed(let signal): "was killed by signal \(signal)" + (signalName(signal).map { " (\($0))" } ?? "")
        }
    }
}

/// SIGKILL-style names for the signals a user is likely to meet (x86_64 numbers).
public func signalName(_ signal: Int32) -> String? {
    let names: [Int32: String] = [
        1: "SIGHUP", 2: "SIGINT", 3: "SIGQUIT", 4: "SIGILL", 5: "SIGTRAP", 6: "SIGABRT", 7: "SIGBUS",
        8: "SIGFPE", 9: "SIGKILL", 10: "SIGUSR1", 11: "SIGSEGV", 12: "SIGUSR2", 13: "SIGPIPE",
        14: "SIGALRM", 15: "SIGTERM", 17: "SIGCHLD", 18: "SIGCONT", 19: "SIGSTOP", 20: "SIGTSTP",
        21: "SIGTTIN", 22: "SIGTTOU", 23: "SIGURG", 24: "SIGXCPU", 25: "SIGXFSZ", 26: "SIGVTALRM",
        27: "SIGPROF", 28: "SIGWINCH", 29: "SIGIO", 30: "SIGPWR", 31: "SIGSYS",
    ]
    return names[signal]
}
