import ProcFS

/// Why the engine could not do what was asked. Each description is one line
/// that says what failed, for which pid, and what the user can do about it.
public enum EngineError: Error, Equatable, Sendable, CustomStringConvertible {
    case noSuchProcess(pid: Int32)
    case permissionDenied(pid: Int32, command: String, ptraceScope: Int?)
    /// Refused although we are root or hold CAP_SYS_PTRACE: the causes it can be.
    case permissionDeniedWhilePrivileged(pid: Int32, command: String, causes: [String])
    /// A 32-bit (i386 or x32) or foreign-machine program: its registers and
    /// binaries are not the x86_64 ones we read.
    case unsupportedArchitecture(pid: Int32, command: String, architecture: String)
    case kernelThread(pid: Int32, command: String)
    case zombie(pid: Int32, command: String)
    case ownProcess(pid: Int32)
    case alreadyTraced(pid: Int32, command: String, tracerPID: Int32, tracerCommand: String)
    case notAttached(pid: Int32)
    case processExited(pid: Int32, status: TerminationStatus?)
    case system(pid: Int32, SystemError)
    /// A hold point could not be set (or removed) in `pid`.
    case holdPoint(pid: Int32, reason: String)
    /// `launch` could not start the program.
    case launch(command: String, reason: String)

    public var description: String {
        switch self {
        case .noSuchProcess(let pid):
            return "no process with pid \(pid)"
        case .permissionDenied(let pid, let command, let scope):
            let scopeText = scope.map { " (it is \($0))" } ?? ""
            return "permission denied attaching to pid \(pid) (\(command)): ptrace needs the same user "
                + "and /proc/sys/kernel/yama/ptrace_scope set to 0\(scopeText), or CAP_SYS_PTRACE "
                + "(run as root, or grant it with `setcap cap_sys_ptrace+ep`)"
        case .permissionDeniedWhilePrivileged(let pid, let command, let causes):
            return "permission denied attaching to pid \(pid) (\(command)) although we are root or hold CAP_SYS_PTRACE: "
                + causes.joined(separator: "; or ")
        case .unsupportedArchitecture(let pid, let command, let architecture):
            return "pid \(pid) (\(command)) runs \(architecture) code: lwpscope inspects x86_64 processes only; "
                + "use gdb for this one"
        case .kernelThread(let pid, let command):
            return "pid \(pid) (\(command)) is a kernel thread: it has no user-space threads to inspect"
        case .zombie(let pid, let command):
            return "pid \(pid) (\(command)) is a zombie: it has exited and is waiting for its parent to reap it"
        case .ownProcess(let pid):
            return "pid \(pid) is lwpscope itself; pick another process"
        case .alreadyTraced(let pid, let command, let tracer, let tracerCommand):
            return "pid \(pid) (\(command)) is already traced by pid \(tracer) (\(tracerCommand)); "
                + "detach that tracer first (a process can have only one)"
        case .notAttached(let pid):
            return "not attached to pid \(pid)"
        case .processExited(let pid, let status):
            return "pid \(pid) " + (status.map { "\($0)" } ?? "exited") + "; nothing left to inspect"
        case .system(let pid, let error):
            return "pid \(pid): \(error)"
        case .holdPoint(let pid, let reason):
            return "pid \(pid): cannot set the hold point: \(reason)"
        case .launch(let command, let reason):
            return "cannot start \(command): \(reason)"
        }
    }
}
