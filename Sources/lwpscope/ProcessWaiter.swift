import CPtrace
import Engine
import ProcFS
#if canImport(Glibc)
import Glibc
#endif

/// `--wait-for PATTERN`: the first process to exec a program whose name,
/// path or command line matches the glob, attached and held as soon as it
/// appears. As root the proc connector reports each exec as it happens
/// (the delay is from that exec to our hold); otherwise /proc is polled
/// every millisecond (the delay is then from the process's start).
struct ProcessWaiter {
    let pattern: String
    let procfs = ProcFS()

    struct Caught {
        var pid: Int32
        var command: String
        var delayMilliseconds: Double?
    }

    func catchFirst(engine: TraceEngine) async -> Caught {
        let connector = lwp_proc_connector_open()
        defer { if connector >= 0 { close(connector) } }
        let known = Set(procfs.processIDs())
        while true {
            guard let (pid, execNanoseconds) = nextMatch(connector: connector, known: known) else { continue }
            guard case .success(let attached) = await EngineCall.attach(pid, engine: engine) else { continue }
            do { try await engine.holdProcess(attached) } catch { continue }
            let now = Double(MonotonicClock.seconds()) * 1000
            let delay = execNanoseconds.map { now - Double($0) / 1_000_000 }
            return Caught(pid: attached, command: command(attached), delayMilliseconds: delay)
        }
    }

    /// The next matching exec (connector) or new process (poll), with the
    /// exec's time when the connector gave one.
    private func nextMatch(connector: Int32, known: Set<Int32>) -> (Int32, UInt64?)? {
        if connector >= 0 {
            var tgid: pid_t = 0
            var stamp: UInt64 = 0
            guard lwp_proc_connector_next_exec(connector, 1000, &tgid, &stamp) == 1, matches(tgid) else { return nil }
            return (tgid, stamp)
        }
        usleep(1000)
        let fresh = procfs.processIDs().filter { !known.contains($0) && matches($0) }
        return fresh.first.map { ($0, nil) }
    }

    /// The program's name (comm), its path's basename or path, or the whole command line.
    private func matches(_ pid: Int32) -> Bool {
        guard pid != getpid(), procfs.status(pid)?.parentID != getpid() else { return false }
        var names = [procfs.comm(pid, thread: pid) ?? "", command(pid)]
        if let exe = procfs.executablePath(pid) { names += [exe, exe.split(separator: "/").last.map(String.init) ?? exe] }
        return names.contains { !$0.isEmpty && fnmatch(pattern, $0, 0) == 0 }
    }

    private func command(_ pid: Int32) -> String {
        procfs.commandLine(pid)?.joined(separator: " ") ?? ""
    }
}
