#if canImport(Glibc)
import Glibc
#endif

/// What /proc says about a process that decides whether we may attach to it.
public struct AttachTarget: Sendable, Equatable {
    /// The process (thread group) id.
    public var pid: Int32
    public var isKernelThread: Bool
    /// Every thread has exited and the zombie waits to be reaped. A leader
    /// that called pthread_exit is a zombie while its threads run on: not this.
    public var hasExited: Bool
    /// The real user id (the first Uid in /proc/PID/status).
    public var ownerID: UInt32
    /// TracerPid: the task tracing it, 0 when none.
    public var tracer: Int32

    public init(pid: Int32, isKernelThread: Bool = false, hasExited: Bool = false, ownerID: UInt32, tracer: Int32 = 0) {
        self.pid = pid
        self.isKernelThread = isKernelThread
        self.hasExited = hasExited
        self.ownerID = ownerID
        self.tracer = tracer
    }
}

/// Who would attach: this process, its real user and whether it may trace anyone's.
public struct Attacher: Sendable, Equatable {
    public var pid: Int32
    /// The kernel compares the tracer's real user id with the target's ids.
    public var userID: UInt32
    /// CAP_SYS_PTRACE in our effective set: root usually has it, and so may a
    /// user's binary given it with `setcap cap_sys_ptrace+ep`.
    public var mayTraceAnyUser: Bool

    public init(pid: Int32, userID: UInt32, mayTraceAnyUser: Bool) {
        self.pid = pid
        self.userID = userID
        self.mayTraceAnyUser = mayTraceAnyUser
    }

    /// This process, as it is now.
    public static func current() -> Attacher {
        Attacher(pid: getpid(), userID: getuid(), mayTraceAnyUser: OwnCapabilities.effective().contains(.sysPtrace))
    }
}

/// Why we may not attach, before trying.
public enum AttachRefusal: Sendable, Equatable {
    case ownProcess
    case kernelThread
    case exited
    /// By the task named (a thread id, as TracerPid gives it).
    case alreadyTraced(tracer: Int32)
    /// Another user's process, and we lack CAP_SYS_PTRACE.
    case otherUser(ownerID: UInt32)

    var isOtherUser: Bool {
        if case .otherUser = self { true } else { false }
    }
}

/// One rule for whether we may attach, used by the picker's dimmed rows and
/// by the engine before PTRACE_SEIZE (and to explain an EPERM after it).
/// A refusal here is sure; no refusal is not a promise: Yama's ptrace_scope,
/// a set-uid target or a non-dumpable one can still make the kernel say no.
public enum AttachEligibility {
    /// The first reason that applies, in this order: ourselves, a kernel
    /// thread, exited, traced by another, another user's without CAP_SYS_PTRACE.
    public static func refusal(of target: AttachTarget, by attacher: Attacher) -> AttachRefusal? {
        if target.pid == attacher.pid { return .ownProcess }
        if target.isKernelThread { return .kernelThread }
        if target.hasExited { return .exited }
        if target.tracer != 0 { return .alreadyTraced(tracer: target.tracer) }
        if target.ownerID != attacher.userID, !attacher.mayTraceAnyUser { return .otherUser(ownerID: target.ownerID) }
        return nil
    }
}

/// Capability bits of this process, from /proc/self/status.
public struct OwnCapabilities: OptionSet, Sendable {
    public let rawValue: UInt64
    public init(rawValue: UInt64) { self.rawValue = rawValue }

    /// CAP_SYS_PTRACE is capability 19 (linux/capability.h).
    public static let sysPtrace = OwnCapabilities(rawValue: 1 << 19)

    /// The effective set; empty when it cannot be read.
    public static func effective() -> OwnCapabilities {
        let fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return [] }
        defer { close(fd) }
        // One read returns the whole file (about 1.5 KB) from the kernel's seq_file.
        var bytes = [UInt8](repeating: 0, count: 16384)
        let count = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard count > 0 else { return [] }
        return effective(statusText: String(decoding: bytes[0..<count], as: UTF8.self))
    }

    /// The `CapEff:` line of a /proc/PID/status text (16 hex digits); empty without one.
    public static func effective(statusText: String) -> OwnCapabilities {
        for line in statusText.split(separator: "\n") where line.hasPrefix("CapEff:") {
            let hex = line.dropFirst("CapEff:".count).trimmingPrefix(while: { $0 == " " || $0 == "\t" })
            return UInt64(hex, radix: 16).map(OwnCapabilities.init(rawValue:)) ?? []
        }
        return []
    }
}
