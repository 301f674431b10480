#if canImport(Glibc)
import Glibc
#endif

/// Why the kernel can refuse ptrace to a tracer that is root or holds
/// CAP_SYS_PTRACE, where "run as root" would be no help: what can be read
/// is checked, and what cannot is named as a possibility.
public struct PermissionFacts: Sendable, Equatable {
    /// Yama's ptrace_scope, when Yama is there.
    public var ptraceScope: Int?
    /// We hold CAP_SYS_PTRACE in our effective set.
    public var hasCapability: Bool
    /// Our real user id is 0.
    public var isRoot: Bool
    /// /proc/self/ns/user and /proc/PID/ns/user differ (nil: unreadable).
    public var otherUserNamespace: Bool?
    /// We run in a user namespace below the initial one (our uid_map is not the identity).
    public var inChildUserNamespace: Bool
    /// The security modules the kernel runs (/sys/kernel/security/lsm), Yama and capability aside.
    public var securityModules: [String]

    public init(ptraceScope: Int?, hasCapability: Bool, isRoot: Bool, otherUserNamespace: Bool?,
                inChildUserNamespace: Bool, securityModules: [String]) {
        self.ptraceScope = ptraceScope
        self.hasCapability = hasCapability
        self.isRoot = isRoot
        self.otherUserNamespace = otherUserNamespace
        self.inChildUserNamespace = inChildUserNamespace
        self.securityModules = securityModules
    }

    /// Whether "run as root or grant CAP_SYS_PTRACE" is advice that can help.
    public var privilegeWouldHelp: Bool { !isRoot && !hasCapability }

    /// The causes to name, most certain first; never empty.
    public var causes: [String] {
        var causes: [String] = []
        if ptraceScope == 3 {
            causes.append("Yama's ptrace_scope is 3, which forbids every attach until reboot")
        }
        if isRoot && !hasCapability {
            causes.append("we are root but without CAP_SYS_PTRACE (a container drops it: `docker run --cap-add SYS_PTRACE`)")
        }
        // From inside a user namespace, the target's namespace is often
        // unreadable to us: that alone says it is not ours.
        if otherUserNamespace != false && inChildUserNamespace {
            causes.append("the target is outside our user namespace, where our capabilities do not reach: attach from the host")
        }
        let modules = securityModules.filter { !["capability", "yama", "lockdown", "landlock", "bpf"].contains($0) }
        if !modules.isEmpty {
            causes.append("a security module (\(modules.joined(separator: ", "))) may deny it: its log (dmesg, audit.log) says")
        }
        if causes.isEmpty {
            causes.append("something lwpscope cannot see refused it (a seccomp filter on ptrace, or a security module)")
        }
        return causes
    }

    /// The facts for attaching to `pid`, now.
    public static func gather(pid: Int32, ptraceScope: Int?, hasCapability: Bool) -> PermissionFacts {
        let ours = readLink("/proc/self/ns/user"), theirs = readLink("/proc/\(pid)/ns/user")
        let differ: Bool? = (ours != nil && theirs != nil) ? ours != theirs : nil
        let uidMap = readText("/proc/self/uid_map")?.split(whereSeparator: { $0 == " " || $0 == "\n" }) ?? []
        let identity = uidMap.count == 3 && uidMap[0] == "0" && uidMap[1] == "0" && uidMap[2] == "4294967295"
        let modules = readText("/sys/kernel/security/lsm")?
            .split(whereSeparator: { $0 == "," || $0 == "\n" }).map(String.init) ?? []
        return PermissionFacts(ptraceScope: ptraceScope, hasCapability: hasCapability, isRoot: getuid() == 0,
                               otherUserNamespace: differ, inChildUserNamespace: !uidMap.isEmpty && !identity,
                               securityModules: modules)
    }

    private static func readLink(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: 256)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func readText(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: 4096)
        let count = read(fd, &bytes, bytes.count)
        return count > 0 ? String(decoding: bytes[0..<count], as: UTF8.self) : nil
    }
}
