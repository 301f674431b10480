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

/// True when `condition` holds on every look, every 10 ms, for `seconds`:
/// for what must stay so (a stopped process nobody resumes), where there is
/// no event to wait for. Returns false at the first look it fails.
public func holdsThroughout(seconds: Double, _ condition: () -> Bool) -> Bool {
    let rounds = max(1, Int(seconds * 100))
    for _ in 0..<rounds {
        guard condition() else { return false }
        usleepMillis(10)
    }
    return condition()
}

/// True once thread `tid` of `pid` has used more CPU time (user + system
/// ticks) than when this was called, looking every 10 ms for up to
/// `timeout` seconds: the thread is burning CPU.
public func usesCPU(_ pid: Int32, thread tid: Int32, timeout: Double = 2) -> Bool {
    let procfs = ProcFS()
    guard let before = procfs.thread(pid, tid) else { return false }
    return waitUntil(timeout: timeout) {
        guard let now = procfs.thread(pid, tid) else { return false }
        return now.userTicks + now.systemTicks > before.userTicks + before.systemTicks
    }
}
