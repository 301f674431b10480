#if canImport(Glibc)
import Glibc
#endif

/// lwpscope's end of the guardian: a helper process started with the first
/// code patch, traced by no one, in a session of its own (a closed terminal
/// does not end it), reading `GuardianRecord`s from a stream. When lwpscope
/// dies, however it dies, the kernel closes our end, the guardian reads
/// EOF and undoes every patch still recorded (see `GuardianService`).
///
/// The stream is a unix socket pair rather than a pipe only so that a send
/// to a guardian that is gone returns EPIPE without raising SIGPIPE
/// (MSG_NOSIGNAL), with no process-wide signal disposition changed. Our end
/// is close-on-exec: a gdb or other child lwpscope starts must not hold it,
/// or the guardian would not see lwpscope's death.
///
/// Used by one thread at a time (the engine's).
public final class GuardianLink: @unchecked Sendable {
    /// The guardian process (our child until it exits).
    public let pid: pid_t
    /// Our end of the link; -1 once closed. Public so that a test can hand
    /// it to a child process (the guardian then waits for that child too).
    public private(set) var descriptor: Int32
    /// A send failed: the guardian is gone (or its end closed), so patches
    /// from now on are not guarded. The engine should set no more points.
    public private(set) var isBroken = false
    /// The guardian's wait status once `close` or `waitForExit` reaped it.
    public private(set) var exitStatus: Int32?

    private init(pid: pid_t, descriptor: Int32) {
        self.pid = pid
        self.descriptor = descriptor
    }

    deinit {
        // Dropped without `close`: nothing says the patches are undone.
        if descriptor >= 0 { Glibc.close(descriptor) }
    }

    /// Starts the guardian: `executable arguments...` with its end of the
    /// link as standard input, stdout on /dev/null, stderr appended to
    /// `standardError` (the guardian writes one line there per range it
    /// could not restore).
    public static func start(executable: String, arguments: [String], standardError: String = "/dev/null") throws(GuardianError)
        -> GuardianLink
    {
        var ends: [Int32] = [-1, -1]
        let socketType = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        guard socketpair(AF_UNIX, socketType, 0, &ends) == 0 else {
            throw .cannotStart("socketpair: \(errorText(errno))")
        }
        // Above 0, 1 and 2, so that the dup2 onto 0 in the child always
        // happens (and clears close-on-exec), and so that we never hold a
        // standard descriptor number lwpscope was started without.
        let ours = aboveStandard(ends[0])
        let theirs = aboveStandard(ends[1])
        guard ours >= 0, theirs >= 0 else {
            let why = errorText(errno)
            if ours >= 0 { Glibc.close(ours) }
            if theirs >= 0 { Glibc.close(theirs) }
            throw .cannotStart("fcntl F_DUPFD_CLOEXEC: \(why)")
        }
        defer { Glibc.close(theirs) }
        // One way only: the guardian never writes to us.
        _ = shutdown(ours, Int32(SHUT_RD))
        _ = shutdown(theirs, Int32(SHUT_WR))
        do throws(GuardianError) {
            let pid = try GuardianSpawn.spawn(executable: executable, arguments: arguments, input: theirs, standardError: standardError)
            return GuardianLink(pid: pid, descriptor: ours)
        } catch {
            Glibc.close(ours)
            throw error
        }
    }

    /// Writes one record, whole. Call it before the write it describes (a
    /// patch) or after (restored): the guardian must know of every patch
    /// that can outlive us. Returns false (and sets `isBroken`) when the
    /// guardian can no longer be told.
    @discardableResult
    public func send(_ record: GuardianRecord) -> Bool {
        guard descriptor >= 0, !isBroken else { return false }
        var line = record.line + "\n"
        let sent = line.withUTF8 { bytes -> Bool in
            var offset = 0
            while offset < bytes.count {
                let (n, _) = retryingEINTR {
                    Glibc.send(descriptor, bytes.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
                }
                guard n > 0 else { return false }
                offset += n
            }
            return true
        }
        if !sent { isBroken = true }
        return sent
    }

    /// Ends the link. `clean`: every patch is already restored, so `bye`
    /// first and the guardian exits touching nothing (and is reaped here,
    /// waiting up to a second). Otherwise it restores what is recorded.
    public func close(clean: Bool) {
        guard descriptor >= 0 else { return }
        if clean { send(.bye) }
        Glibc.close(descriptor)
        descriptor = -1
        waitForExit(timeout: clean ? 1 : 0)
    }

    /// Reaps the guardian if it exits within `timeout` seconds; its wait
    /// status, or nil while it runs. nil also when someone else reaped it
    /// (then `exitStatus` stays nil).
    @discardableResult
    public func waitForExit(timeout: Double) -> Int32? {
        if let exitStatus { return exitStatus }
        let deadline = monotonicSeconds() + timeout
        while true {
            var status: Int32 = 0
            let rc = waitpid(pid, &status, WNOHANG)
            if rc == pid {
                exitStatus = status
                return status
            }
            if rc < 0, errno != EINTR { return nil }
            if monotonicSeconds() >= deadline { return nil }
            usleep(1000)
        }
    }

    /// `fd` itself, or a close-on-exec copy of it at 3 or above (`fd` is
    /// closed either way when it has to move); -1 when it cannot move.
    private static func aboveStandard(_ fd: Int32) -> Int32 {
        if fd > 2 { return fd }
        let moved = fcntl(fd, F_DUPFD_CLOEXEC, 3)
        let error = errno
        Glibc.close(fd)
        errno = error
        return moved
    }
}

public enum GuardianError: Error, Equatable, Sendable, CustomStringConvertible {
    case cannotStart(String)

    public var description: String {
        switch self {
        case .cannotStart(let why): "cannot start the guardian process (\(why)); hold points need it, so none is set"
        }
    }
}

func monotonicSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}
