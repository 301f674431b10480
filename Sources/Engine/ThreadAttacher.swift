/// Seizes every thread of a process.
struct ThreadAttacher {
    let store: TraceeStore
    let events: TraceEventHandler

    /// Seizes every thread of `requested`'s process, re-listing
    /// /proc/PID/task until two passes agree; threads born meanwhile are
    /// caught by PTRACE_O_TRACECLONE. Returns the process id.
    func attach(_ requested: Int32) throws(EngineError) -> Int32 {
        let procfs = store.procfs
        let preflight = AttachPreflight(procfs: procfs)
        EngineLog.write("attach \(requested): preflight")
        let pid = try preflight.check(requested)
        let started = MonotonicClock.microseconds()
        EngineLog.write("attach \(pid): seizing")
        defer { EngineLog.write("attach \(pid): \(store.tids(of: pid).count) threads in \(MonotonicClock.microseconds() - started) µs") }
        if store.processes[pid] != nil { return pid }
        store.exitedProcesses[pid] = nil
        let command = procfs.commandLine(pid).map { $0.joined(separator: " ") }.flatMap { $0.isEmpty ? nil : $0 }
            ?? procfs.stat(pid)?.name ?? ""
        store.processes[pid] = TracedProcess(pid: pid, command: command)
        var previous: [Int32] = []
        for _ in 0..<1000 {
            guard let listed = procfs.threadIDs(pid), !listed.isEmpty else {
                if store.tids(of: pid).isEmpty {
                    store.processes[pid] = nil
                    throw .noSuchProcess(pid: pid)
                }
                break
            }
            // The leader first: tids wrap around, so a dying thread can be
            // listed before it, and only the leader's refusal is the process's.
            let order = listed.contains(pid) ? [pid] + listed.filter { $0 != pid } : listed
            for tid in order where store.tracees[tid] == nil {
                do {
                    try Ptrace.seize(tid, options: PtraceOptions.threads)
                    store.add(Tracee(tid: tid, processID: pid))
                } catch where error.isNoSuchProcess {
                    continue  // exited between listing and seize
                } catch where error.isPermissionDenied {
                    EngineLog.write("seize \(tid) of \(pid): EPERM; ours so far: \(store.tids(of: pid).count)")
                    // Other threads may be exiting (a dying thread refuses), or be
                    // ours already via TRACECLONE with their first stop not yet
                    // collected. The leader's refusal is the process's.
                    // A leader that called pthread_exit is a zombie while its threads run on.
                    if tid == pid, procfs.stat(pid)?.state == .zombie { continue }
                    if tid == pid, store.tids(of: pid).isEmpty {
                        if preflight.isUntracedSoon(tid) { continue }
                        store.processes[pid] = nil
                        throw preflight.explainPermissionFailure(pid)
                    }
                } catch {
                    if tid == pid, store.tids(of: pid).isEmpty {
                        store.processes[pid] = nil
                        throw .system(pid: pid, error)
                    }
                }
            }
            events.collectEvents()
            if listed == previous { break }
            previous = listed
        }
        if store.tids(of: pid).isEmpty {
            EngineLog.write("attach \(pid): no thread seized")
            store.processes[pid] = nil
            throw procfs.exists(pid) ? preflight.explainPermissionFailure(pid) : .noSuchProcess(pid: pid)
        }
        return pid
    }
}
