import CPtrace
import ProcFS
#if canImport(Glibc)
import Glibc
#endif

/// Checks made before PTRACE_SEIZE, so the common refusals get a clear reason
/// instead of a bare EPERM. The rule itself is `AttachEligibility`'s.
struct AttachPreflight {
    let procfs: ProcFS

    /// Returns the process id to attach to (a thread id is mapped to its process).
    func check(_ pid: Int32) throws(EngineError) -> Int32 {
        guard pid > 0, let status = procfs.status(pid), let stat = procfs.stat(pid) else {
            throw .noSuchProcess(pid: pid)
        }
        let processID = status.threadGroupID > 0 ? status.threadGroupID : pid
        // Our own closing engine lets go within a second; wait for that rather than refuse.
        let tracer = status.tracerID != 0 && isUntracedSoon(processID) ? 0 : status.tracerID
        let target = AttachTarget(
            pid: processID, isKernelThread: stat.isKernelThread, hasExited: hasExited(processID, stat.state),
            ownerID: status.realUserID, tracer: tracer)
        // Another user's process is left to the kernel: it also lets the owner
        // of a user namespace trace the processes inside it. Its EPERM is
        // explained by the same rule afterwards.
        if let refusal = AttachEligibility.refusal(of: target, by: .current()), !refusal.isOtherUser {
            throw error(refusal, pid: pid, processID: processID, command: stat.name)
        }
        if let architecture = ExecutableArchitecture.unsupported(of: processID, root: procfs.root) {
            throw .unsupportedArchitecture(pid: processID, command: stat.name, architecture: architecture)
        }
        return processID
    }

    /// True once `tid` is untraced: at once, or within a second when its tracer
    /// is another engine of this process that is closing (its thread is
    /// ending, and then the kernel lets go). Any other tracer answers false
    /// at once.
    func isUntracedSoon(_ tid: Int32) -> Bool {
        for attempt in 0...100 {
            guard let tracer = procfs.status(tid)?.tracerID else { return false }
            if tracer == 0 { return true }
            guard procfs.status(tracer)?.threadGroupID == getpid(), tracer != lwp_gettid() else { return false }
            if attempt < 100 { usleep(10_000) }
        }
        return false
    }

    /// Explains an EPERM from PTRACE_SEIZE after the fact.
    func explainPermissionFailure(_ pid: Int32) -> EngineError {
        guard let status = procfs.status(pid) else { return .noSuchProcess(pid: pid) }
        let target = AttachTarget(
            pid: pid, isKernelThread: procfs.stat(pid)?.isKernelThread ?? false,
            hasExited: status.state == .zombie, ownerID: status.realUserID, tracer: status.tracerID)
        let refusal = AttachEligibility.refusal(of: target, by: .current())
        return refusal.map { error($0, pid: pid, processID: pid, command: status.name) }
            ?? permissionDenied(pid, command: status.name)
    }

    /// "Run as root" only where being root could help; otherwise what it can be.
    private func permissionDenied(_ pid: Int32, command: String) -> EngineError {
        let facts = PermissionFacts.gather(pid: pid, ptraceScope: Self.ptraceScope(),
                                           hasCapability: Attacher.current().mayTraceAnyUser)
        if facts.privilegeWouldHelp && facts.ptraceScope != 3 {
            return .permissionDenied(pid: pid, command: command, ptraceScope: facts.ptraceScope)
        }
        return .permissionDeniedWhilePrivileged(pid: pid, command: command, causes: facts.causes)
    }

    /// A zombie leader whose threads run on has not exited.
    private func hasExited(_ processID: Int32, _ state: TaskState) -> Bool {
        guard state == .zombie || state == .dead else { return false }
        return !(procfs.threads(processID) ?? []).contains { $0.state != .zombie && $0.state != .dead }
    }

    private func error(_ refusal: AttachRefusal, pid: Int32, processID: Int32, command: String) -> EngineError {
        switch refusal {
        case .ownProcess: .ownProcess(pid: processID)
        case .kernelThread: .kernelThread(pid: pid, command: command)
        case .exited: .zombie(pid: processID, command: command)
        case .alreadyTraced(let tracer): tracedError(processID, command, tracer: tracer)
        case .otherUser: permissionDenied(processID, command: command)
        }
    }

    /// TracerPid names the tracing *thread*; users know its process
    /// (`ProcFS.process(ofThread:)`, the picker's rule too).
    private func tracedError(_ pid: Int32, _ command: String, tracer tracerThread: Int32) -> EngineError {
        let tracer = procfs.process(ofThread: tracerThread) ?? ProcessName(pid: tracerThread, command: "unknown")
        let tracerCommand = tracer.pid == getpid() ? "lwpscope itself" : tracer.command
        return .alreadyTraced(pid: pid, command: command, tracerPID: tracer.pid, tracerCommand: tracerCommand)
    }

    static func ptraceScope() -> Int? {
        let fd = open("/proc/sys/kernel/yama/ptrace_scope", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var byte: UInt8 = 0
        guard read(fd, &byte, 1) == 1, byte >= 48, byte <= 57 else { return nil }
        return Int(byte - 48)
    }
}
