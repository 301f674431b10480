import CPtrace
#if canImport(Glibc)
import Glibc
#endif

/// What happens at an exec and at a fatal signal, by the session's rules:
/// hold at an exec a rule matches (or at a launched program's start), let go
/// a child followed only for the rules, hold a thread about to die.
extension TraceEventHandler {
    /// The signals that kill a process where it stands when unhandled.
    static let fatalSignals: Set<Int32> = [SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT]

    /// At `pid`'s exec stop, before the observation is applied (so a hold
    /// keeps the stop). `hadPoints`: it had hold points before the exec.
    func applyExecRules(_ pid: Int32, hadPoints: Bool) {
        guard var process = store.processes[pid] else { return }
        let path = store.procfs.executablePath(pid) ?? ""
        if process.launching {
            process.launching = false
            store.processes[pid] = process
            if process.holdAtStart {
                store.apply(.hold(.start), to: pid)
                store.holds[pid]?.reason = .start(path: path)
                store.onEvent(.heldAtExec(pid: pid, path: path, start: true))
            }
            return
        }
        if Self.matches(path, process.execGlobs) {
            store.apply(.hold(.exec), to: pid)
            store.holds[pid]?.reason = .exec(path: path)
            store.onEvent(.heldAtExec(pid: pid, path: path, start: false))
        } else if hadPoints && store.holdExecsWithPoints {
            store.apply(.hold(.pointsAfterExec), to: pid)
        } else if process.followedForExecs {
            // Nothing will ever match it now: untouched, as if never followed.
            store.apply(.detach, to: pid)
            store.processes[pid] = nil
            store.structureChanged = true
            store.onEvent(.detachedAtExec(pid: pid, path: path))
        }
    }

    /// Whether a new program's path, or its basename, matches one of `globs`.
    static func matches(_ path: String, _ globs: [String]) -> Bool {
        guard !path.isEmpty else { return false }
        let base = path.split(separator: "/").last.map(String.init) ?? path
        return globs.contains { fnmatch($0, path, 0) == 0 || fnmatch($0, base, 0) == 0 }
    }

    /// At a signal-delivery-stop, before the observation is applied: a
    /// signal that will kill the process (fatal, not caught, not ignored) is
    /// held there instead. Returns the event to send once the stop is applied.
    func holdIfFatal(_ tracee: Tracee, signal: Int32) -> EngineEvent? {
        guard store.holdFatalSignals, Self.fatalSignals.contains(signal), !tracee.state.isStepping,
              store.procfs.status(tracee.processID, thread: tracee.tid)?.handlesOrIgnores(signal) != true else { return nil }
        var signo: Int32 = 0, code: Int32 = 0, address: UInt64 = 0
        _ = lwp_ptrace_getsiginfo(tracee.tid, &signo, &code, &address)
        store.apply(.hold(.signal(signal)), to: tracee.tid)
        store.holds[tracee.tid]?.reason = .signal(signal, address: address)
        return .heldAtSignal(pid: tracee.processID, tid: tracee.tid, signal: signal, address: address)
    }
}
