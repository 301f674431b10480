import CPtrace
#if canImport(Glibc)
import Glibc
#endif

/// An errno from a failed system call, named for the cases the engine cares about.
public struct SystemError: Error, Equatable, Sendable, CustomStringConvertible {
    public let code: Int32
    public let call: String

    public init(code: Int32, call: String) {
        self.code = code
        self.call = call
    }

    public var isNoSuchProcess: Bool { code == ESRCH }
    public var isPermissionDenied: Bool { code == EPERM || code == EACCES }
    public var description: String { "\(call): \(String(cString: strerror(code)))" }
}

/// Typed wrappers over the C shims. Each takes a thread id and throws the errno.
/// They must be called on the engine thread (see `DedicatedThreadExecutor`).
enum Ptrace {
    @inline(__always)
    private static func check(_ rc: Int32, _ call: StaticString) throws(SystemError) {
        if rc < 0 { throw SystemError(code: -rc, call: "\(call)") }
    }

    static func seize(_ tid: pid_t, options: UInt) throws(SystemError) {
        try check(lwp_ptrace_seize(tid, options), "PTRACE_SEIZE")
    }
    static func interrupt(_ tid: pid_t) throws(SystemError) {
        try check(lwp_ptrace_interrupt(tid), "PTRACE_INTERRUPT")
    }
    static func resume(_ tid: pid_t, signal: Int32) throws(SystemError) {
        try check(lwp_ptrace_cont(tid, signal), "PTRACE_CONT")
    }
    static func listen(_ tid: pid_t) throws(SystemError) {
        try check(lwp_ptrace_listen(tid), "PTRACE_LISTEN")
    }
    static func detach(_ tid: pid_t, signal: Int32) throws(SystemError) {
        try check(lwp_ptrace_detach(tid, signal), "PTRACE_DETACH")
    }
    static func singleStep(_ tid: pid_t) throws(SystemError) {
        try check(lwp_ptrace_singlestep(tid, 0), "PTRACE_SINGLESTEP")
    }
    static func setOptions(_ tid: pid_t, _ options: UInt) throws(SystemError) {
        try check(lwp_ptrace_setoptions(tid, options), "PTRACE_SETOPTIONS")
    }
    static func eventMessage(_ tid: pid_t) throws(SystemError) -> UInt {
        var message: UInt = 0
        try check(lwp_ptrace_geteventmsg(tid, &message), "PTRACE_GETEVENTMSG")
        return message
    }
    static func registers(_ tid: pid_t) throws(SystemError) -> ThreadRegisters {
        var raw = lwp_user_regs()
        try check(lwp_ptrace_getregs(tid, &raw), "PTRACE_GETREGS")
        return ThreadRegisters(raw: raw)
    }
    static func setRegisters(_ tid: pid_t, _ registers: ThreadRegisters) throws(SystemError) {
        var raw = registers.raw
        try check(lwp_ptrace_setregs(tid, &raw), "PTRACE_SETREGS")
    }
    static func peek(_ tid: pid_t, _ address: UInt64) throws(SystemError) -> UInt64 {
        var word: UInt64 = 0
        try check(lwp_ptrace_peekdata(tid, address, &word), "PTRACE_PEEKDATA")
        return word
    }
    static func poke(_ tid: pid_t, _ address: UInt64, _ word: UInt64) throws(SystemError) {
        try check(lwp_ptrace_pokedata(tid, address, word), "PTRACE_POKEDATA")
    }
}

/// Options every seized thread gets: follow new threads and see exec, so a
/// snapshot never misses a thread born mid-attach.
enum PtraceOptions {
    static let threads = UInt(LWP_PTRACE_O_TRACECLONE | LWP_PTRACE_O_TRACEEXEC)
    static let forks = UInt(LWP_PTRACE_O_TRACEFORK | LWP_PTRACE_O_TRACEVFORK)
}
