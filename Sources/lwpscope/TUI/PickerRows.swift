import Inspector
import ProcFS
#if canImport(Glibc)
import Glibc
#endif

/// The ps listing as picker rows, each saying whether we can attach and why not.
enum PickerRows {
    static func make(_ listing: [ProcessSummary]) -> [PickerRow] {
        let me = getpid()
        let euid = geteuid()
        return listing.map { process in
            let whyNot: String? =
                process.isKernelThread ? "pid \(process.pid) is a kernel thread: it has no user-space threads"
                : process.state == .zombie ? "pid \(process.pid) is a zombie: it has exited"
                : process.pid == me ? "that is lwpscope itself"
                : (euid != 0 && process.userID != euid) ? "pid \(process.pid) belongs to \(process.user): ptrace needs the same user or CAP_SYS_PTRACE"
                : process.tracerID != 0 ? "pid \(process.pid) is already traced by pid \(process.tracerID)"
                : nil
            return PickerRow(
                pid: process.pid, ppid: process.parentID, user: process.user, threads: process.threadCount,
                state: process.state.letter, cpuPercent: process.cpuPercent, rssKiB: UInt64(max(0, process.residentKiB)),
                command: process.command, attachable: whyNot == nil, whyNot: whyNot)
        }
    }
}
