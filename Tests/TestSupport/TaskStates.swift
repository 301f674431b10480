import ProcFS
#if canImport(Glibc)
import Glibc
#endif

/// What /proc says about tracing, for every thread of a process.
public struct TaskTraceState: Equatable, Sendable, CustomStringConvertible {
    public var tid: Int32
    public var state: TaskState
    public var tracerID: Int32

    public var description: String { "\(tid):\(state.letter) tracer=\(tracerID)" }
}

public enum TaskStates {
    public static func of(_ pid: Int32, procfs: ProcFS = ProcFS()) -> [TaskTraceState] {
        (procfs.threadIDs(pid) ?? []).compactMap { tid in
            guard let status = procfs.status(pid, thread: tid) else { return nil }
            return TaskTraceState(tid: tid, state: status.state, tracerID: status.tracerID)
        }
    }

    /// True when no thread is traced or in tracing stop. The kernel can take a
    /// moment to wake detached threads, so this polls for up to a second.
    public static func untraced(_ pid: Int32) -> Bool {
        for _ in 0..<100 {
            let states = of(pid)
            if !states.isEmpty, states.allSatisfy({ $0.tracerID == 0 && $0.state != .tracingStop }) { return true }
            usleepMillis(10)
        }
        return false
    }
}

public func usleepMillis(_ ms: Int) {
    var t = timespec(tv_sec: ms / 1000, tv_nsec: (ms % 1000) * 1_000_000)
    nanosleep(&t, nil)
}

/// Polls `condition` every 10 ms for up to `timeout` seconds.
public func waitUntil(timeout: Double = 5, _ condition: () -> Bool) -> Bool {
    let rounds = max(1, Int(timeout * 100))
    for _ in 0..<rounds {
        if condition() { return true }
        usleepMillis(10)
    }
    return condition()
}
