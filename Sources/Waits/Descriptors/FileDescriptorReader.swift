import ProcFS

/// The real `FileDescriptorReading`: /proc/PID/fd and fdinfo, /proc/net,
/// sock_diag, and every process's descriptors for finding holders.
/// (Placeholder until the descriptor readers land.)
public final class FileDescriptorReader: FileDescriptorReading {
    let procfs: ProcFS

    public init(procfs: ProcFS = ProcFS()) {
        self.procfs = procfs
    }

    public func describe(pid: Int32, fd: Int32) -> Result<FileDescriptorInfo, FileDescriptorProblem> {
        .failure(.processGone(pid: pid))
    }

    public func peers(of info: FileDescriptorInfo, pid: Int32) -> [WaitPeer] { [] }
}
