import Paths

/// A process as users name it: `1234 gdb`.
public struct ProcessName: Sendable, Equatable, CustomStringConvertible {
    public var pid: Int32
    /// argv[0]'s file name, or the comm when the command line is empty.
    public var command: String

    public init(pid: Int32, command: String) {
        self.pid = pid
        self.command = command
    }

    public var description: String { "\(pid) \(command)" }
}

extension ProcFS {
    /// The process the thread `tid` belongs to, named. TracerPid in
    /// /proc/PID/status names the tracing *thread*; users know its process
    /// (for lwpscope, the engine's own thread is not the pid they see).
    /// Nil when the thread is gone.
    public func process(ofThread tid: Int32) -> ProcessName? {
        guard let status = status(tid) else { return nil }
        let pid = status.threadGroupID > 0 ? status.threadGroupID : tid
        let command = commandLine(pid)?.first.map(Path.basename) ?? stat(pid)?.name ?? status.name
        return ProcessName(pid: pid, command: command.isEmpty ? status.name : command)
    }
}
