import ProcFS
#if canImport(Glibc)
import Glibc
#endif

/// Debian's memcached as a real multi-threaded target.
public enum Memcached {
    public static let executable = "/usr/bin/memcached"
    /// x86_64's epoll_wait, where libevent parks memcached's workers.
    static let epollWait = 232

    public static var isAvailable: Bool { access(executable, X_OK) == 0 }

    /// Starts `memcached -t WORKERS` listening on nothing reachable (no TCP
    /// port, no UDP, loopback only) and waits until its workers are parked.
    /// memcached prints no "ready", so this watches /proc until
    /// `workerThreads` threads named mc-worker are each blocked in
    /// epoll_wait (/proc/PID/task/TID/syscall), as the fixtures wait for
    /// theirs. The returned process is killed when released; unlike the
    /// fixtures, memcached does not exit with its parent.
    public static func start(workerThreads: Int = 6, timeout: Double = 20) throws -> ChildProcess {
        guard isAvailable else { throw TestFailure("\(executable) is not installed") }
        // memcached refuses to run as root without -u; as anyone else -u is ignored.
        let user = geteuid() == 0 ? "root" : "nobody"
        let child = try ChildProcess(path: executable, arguments: [
            "-t", String(workerThreads), "-u", user, "-p", "0", "-U", "0", "-l", "127.0.0.1",
        ])
        let procfs = ProcFS()
        let deadline = timeout * 1000
        var waited = 0.0
        while waited < deadline {
            let tids = procfs.threadIDs(child.pid) ?? []
            let workers = tids.filter { procfs.comm(child.pid, thread: $0) == "mc-worker" }
            let parked = workers.filter { tid in
                if case .inSyscall(number: epollWait, _, _, _) = procfs.syscall(child.pid, thread: tid) { return true }
                return false
            }
            if tids.count >= workerThreads, parked.count >= workerThreads { return child }
            if let exit = child.waitForExit(timeout: 0) {
                throw TestFailure("memcached exited with status \(exit): \(child.standardError())")
            }
            usleepMillis(10)
            waited += 10
        }
        throw TestFailure("memcached did not start \(workerThreads) worker threads in \(timeout) s: \(child.standardError())")
    }
}
