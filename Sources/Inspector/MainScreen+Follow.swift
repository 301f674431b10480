/// `f`: from the selected thread to the other end of its wait. The screen
/// only names where to go; the controller selects, shows or attaches.
extension MainScreen {
    mutating func followSelectedWait(message: inout StatusMessage?) -> KeyOutcome {
        guard focus == .threads || focus == .backtrace else {
            message = StatusMessage("f follows the selected thread's wait: press 2 for the threads pane")
            return .redraw
        }
        guard let thread = threads.selectedThread else {
            message = StatusMessage("no thread selected", severity: .warning)
            return .redraw
        }
        guard let target = thread.follow else {
            message = StatusMessage(Self.whyNotFollowed(thread), severity: .warning)
            return .redraw
        }
        return .command(.followWait(pid: target.pid, tid: target.tid))
    }

    /// Why `f` has nowhere to go from `thread`.
    static func whyNotFollowed(_ thread: ThreadRow) -> String {
        guard let waitsOn = thread.waitsOn else {
            return "\(thread.tid) \(thread.name) is running: it waits on nothing to follow"
        }
        return "\(thread.tid) \(thread.name) waits in \(waitsOn): nobody at the other end"
    }
}
