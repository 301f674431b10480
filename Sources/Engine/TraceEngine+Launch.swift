import CPtrace
import Guardian
#if canImport(Glibc)
import Glibc
#endif

/// What a program `launch` starts reads on its standard input.
public enum LaunchInput: Sendable {
    /// lwpscope's own (the terminal, for the inspector).
    case inherited
    /// /dev/null: lwpscope's input carries commands. The program runs in a
    /// process group of its own, so the terminal's Ctrl-C ends only lwpscope.
    case null
}

extension TraceEngine {
    /// Starts `command` traced from its first instruction and returns its
    /// pid: a helper (lwpscope `_exec-stopped`, in a process group of its
    /// own) stops itself, is seized, and execs the command; that exec is the
    /// program's start, held there when `holdAtStart` (`heldAtExec(start: true)`).
    /// The program inherits lwpscope's stdout, stderr and environment.
    public func launch(_ command: [String], holdAtStart: Bool, input: LaunchInput, births: Bool = false,
                       execs: [String] = [], helper: String = "/proc/self/exe") throws(EngineError) -> Int32 {
        let pid: pid_t
        do throws(SystemError) {
            pid = try LaunchSpawn.spawnStopped(helper: helper, command: command, input: input)
        } catch {
            throw .launch(command: command.joined(separator: " "), reason: error.description)
        }
        guard LaunchSpawn.waitUntilStopped(pid) else {
            var status: Int32 = 0
            _ = waitpid(pid, &status, WNOHANG)
            throw .launch(command: command.joined(separator: " "), reason: "the starter did not stop itself")
        }
        let processID: Int32
        do {
            processID = try session.attach(pid)
        } catch {
            kill(pid, SIGKILL)
            throw error
        }
        session.store.processes[processID]?.launching = true
        session.store.processes[processID]?.holdAtStart = holdAtStart
        try session.setRules(processID, births: births, execs: execs)
        // Out of its SIGSTOP, on to the exec: the tracer sees it.
        kill(pid, SIGCONT)
        updateIdlePolling()
        return processID
    }
}

/// posix_spawn of the stop-then-exec helper, and the wait for its stop.
enum LaunchSpawn {
    static func spawnStopped(helper: String, command: [String], input: LaunchInput) throws(SystemError) -> pid_t {
        // Reading commands on our stdin, we keep the terminal's signals;
        // the program, in a group of its own, is spared them.
        let group: [String] = if case .null = input { ["--own-group"] } else { [] }
        let arguments = [helper, "_exec-stopped"] + group + ["--"] + command
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if case .null = input { posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0) }
        var pid: pid_t = 0
        let rc = SpawnAttributes.with(defaults: [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGUSR1, SIGUSR2]) { attributes in
            SpawnAttributes.withArgv(arguments) { argv in posix_spawn(&pid, helper, &actions, attributes, argv, environ) }
        }
        guard rc == 0 else { throw SystemError(code: rc, call: "posix_spawn \(helper)") }
        return pid
    }

    /// Our child, untraced yet: its stop is reported to us (WUNTRACED).
    static func waitUntilStopped(_ pid: pid_t, timeoutMicroseconds: Int = 10_000_000) -> Bool {
        let deadline = MonotonicClock.microseconds() + timeoutMicroseconds
        while MonotonicClock.microseconds() < deadline {
            var status: Int32 = 0
            let reported = waitpid(pid, &status, WNOHANG | WUNTRACED)
            if reported == pid { return lwp_wifstopped(status) != 0 }
            if reported < 0 && errno != EINTR { return false }
            MonotonicClock.sleep(microseconds: 200)
        }
        return false
    }
}
