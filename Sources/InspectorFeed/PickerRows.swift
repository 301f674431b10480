import Engine
import Inspector
import ProcFS

/// The ps listing as picker rows, each saying whether we can attach and why
/// not, by `AttachEligibility`'s rule: the row is dimmed exactly when the
/// engine would refuse before trying.
public enum PickerRows {
    public static func make(_ listing: [ProcessSummary], attacher: Attacher = .current()) -> [PickerRow] {
        listing.map { process in
            let refusal = AttachEligibility.refusal(of: AttachTarget(process), by: attacher)
            let whyNot = refusal.map { reason(for: $0, process) }
            return PickerRow(
                pid: process.pid, ppid: process.parentID, user: process.user, threads: process.threadCount,
                state: process.state.letter, cpuPercent: process.cpuPercent, rssKiB: UInt64(max(0, process.residentKiB)),
                command: process.command, attachable: whyNot == nil, whyNot: whyNot)
        }
    }

    /// Short, for a list that already shows the process.
    static func reason(for refusal: AttachRefusal, _ process: ProcessSummary) -> String {
        switch refusal {
        case .ownProcess: "that is lwpscope itself"
        case .kernelThread: "pid \(process.pid) is a kernel thread: it has no user-space threads"
        case .exited: "pid \(process.pid) is a zombie: it has exited"
        case .alreadyTraced(let tracer): "pid \(process.pid) is already traced by pid \(tracer)"
        case .otherUser:
            "pid \(process.pid) belongs to \(process.user): ptrace needs the same user or CAP_SYS_PTRACE"
        }
    }
}

extension AttachTarget {
    /// The facts as one line of the ps listing has them. A zombie leader
    /// with threads still running counts them in its thread count.
    public init(_ process: ProcessSummary) {
        let zombie = process.state == .zombie || process.state == .dead
        self.init(
            pid: process.pid, isKernelThread: process.isKernelThread, hasExited: zombie && process.threadCount <= 1,
            ownerID: process.userID, tracer: process.tracerID)
    }
}
