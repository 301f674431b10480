import Engine
import Inspector
import InspectorFeed

/// `f`: to the other end of the selected thread's wait, in one key.
extension InspectorApp {
    /// The owner thread in the process shown is selected; a traced process
    /// is shown; any other is attached as well and shown. Its thread is
    /// selected once a refresh has brought its threads. The process left
    /// stays attached and in pane 1.
    func followWait(to pid: Int32, thread tid: Int32?) {
        let from = state.selectedThreadID.map { "\($0) " } ?? ""
        let destination = "\(pid)" + (tid.map { " thread \($0)" } ?? "")
        if pid == watched.current {
            guard let tid else { return say("the other end is this process, \(pid), no one thread of it") }
            land(on: tid, in: pid)
            return
        }
        let traced = blocking { [engine] in await engine.tracedProcesses().map(\.pid) }
        if traced.contains(pid) {
            pendingFollow = tid.map { (pid, $0) }
            show(pid)
            say("followed \(from)to \(destination) \(commandLine(pid))", kind: .process)
            return
        }
        switch attachKeepingHoldNew(pid) {
        case .failure(let error):
            say("cannot follow to \(pid): \(error.description)", severity: .error, kind: .process)
        case .success(let (processID, failure)):
            pendingFollow = tid.map { (processID, $0) }
            show(processID)
            let text = "followed \(from)to \(destination) \(commandLine(processID)), attached as well"
            if let failure {
                say("\(text), but it does not hold new threads: \(failure)", severity: .warning, kind: .process)
            } else {
                say(text, kind: .process)
            }
        }
    }

    /// Selects `tid` once the table shows `pid`'s threads (after the refresh
    /// that brought them, for another process).
    func landAfterRefresh(of pid: Int32) {
        if let (target, tid) = pendingSelection, target == pid {
            pendingSelection = nil
            if state.selectThread(tid: tid) { showBacktrace(tid) }
        }
        guard let (target, tid) = pendingFollow, target == pid else { return }
        pendingFollow = nil
        land(on: tid, in: pid)
    }

    private func land(on tid: Int32, in pid: Int32) {
        guard state.selectThread(tid: tid) else {
            return say("thread \(tid) of \(pid) is not in the table (it may have exited)", severity: .warning)
        }
        let name = procfs.comm(pid, thread: tid).map { " \($0)" } ?? ""
        say("followed to thread \(tid)\(name) of \(pid)", kind: .thread)
        showBacktrace(tid)
    }
}
