import Foundation
import ProcFS
#if canImport(Glibc)
import Glibc
#endif

/// The wait fixture pair running: fixture-client, spawned in a process group
/// of its own, and the fixture-daemon it started (and the daemon's idle
/// child), every thread blocked where /work/fixture-contract.md says.
/// `stop()` (or deinit) kills the whole group and removes the socket's directory.
public final class WaitFixturePair: @unchecked Sendable {
    public let client: Int32
    public let daemon: Int32
    /// The daemon's unix listener (DIR/daemon.sock).
    public let socketPath: String
    /// The daemon's loopback TCP listener.
    public let port: Int
    public let directory: String
    private let stdoutFD: Int32
    private var stopped = false
    let procfs = ProcFS()

    /// Starts the pair and returns once the client printed its ready line and
    /// its short-lived ready-check thread is gone (only the contract's threads remain).
    public init(timeout: Double = 40) throws {
        directory = try makeTempDirectory("wait-pair")
        var pipeFDs: [Int32] = [0, 0]
        guard pipe(&pipeFDs) == 0 else { throw TestFailure("pipe: \(errno)") }
        // Close-on-exec, so other children spawned meanwhile do not hold our pipe open.
        _ = fcntl(pipeFDs[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(pipeFDs[1], F_SETFD, FD_CLOEXEC)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, pipeFDs[1], 1)
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, directory + "/stderr", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let path = BuiltProducts.path("fixture-client")
        let words: [String] = [path, "--dir", directory]
        let argv = words.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let attributes = SpawnAttributes()
        // A group of its own, so one kill reaches the client, the daemon and its child.
        posix_spawnattr_setpgroup(&attributes.raw, 0)
        var flags: Int16 = 0
        posix_spawnattr_getflags(&attributes.raw, &flags)
        posix_spawnattr_setflags(&attributes.raw, flags | Int16(POSIX_SPAWN_SETPGROUP))
        var child: pid_t = 0
        let rc = posix_spawn(&child, path, &actions, &attributes.raw, argv, environ)
        close(pipeFDs[1])
        guard rc == 0 else {
            close(pipeFDs[0])
            try? FileManager.default.removeItem(atPath: directory)
            throw TestFailure("posix_spawn \(path): \(String(cString: strerror(rc)))")
        }
        stdoutFD = pipeFDs[0]
        client = child
        let line: String
        do {
            line = try Self.readLine(from: stdoutFD, timeout: timeout, pid: child)
        } catch {
            let stderr = (try? String(contentsOfFile: directory + "/stderr", encoding: .utf8)) ?? ""
            Self.kill(group: child, directory: directory, stdoutFD: stdoutFD)
            throw TestFailure("\(error); fixture-client's stderr: \(stderr)")
        }
        guard let ready = ReadyLine(line), ready.client == child else {
            Self.kill(group: child, directory: directory, stdoutFD: stdoutFD)
            throw TestFailure("fixture-client printed \(line.debugDescription), not its ready line")
        }
        daemon = ready.daemon
        socketPath = ready.socket
        port = ready.port
        stopped = false
        guard waitUntil(timeout: 5, { procfs.threadIDs(child)?.count == 2 }) else {
            stop()
            throw TestFailure("fixture-client kept a thread besides main and cycle-reader: \(procfs.threadIDs(child) ?? [])")
        }
    }

    deinit { stop() }

    /// `ready client=<pid> daemon=<pid> socket=<path> port=<tcp port>`, parsed.
    public struct ReadyLine: Equatable, Sendable {
        public var client: Int32, daemon: Int32, socket: String, port: Int

        public init?(_ line: String) {
            let words = line.split(separator: " ")
            guard words.count == 5, words[0] == "ready" else { return nil }
            var values: [String: String] = [:]
            for word in words.dropFirst() {
                let parts = word.split(separator: "=", maxSplits: 1)
                guard parts.count == 2 else { return nil }
                values[String(parts[0])] = String(parts[1])
            }
            guard let client = values["client"].flatMap({ Int32($0) }), let daemon = values["daemon"].flatMap({ Int32($0) }),
                  let socket = values["socket"], let port = values["port"].flatMap({ Int($0) }) else { return nil }
            (self.client, self.daemon, self.socket, self.port) = (client, daemon, socket, port)
        }
    }

    /// The thread of `pid` whose comm is `name` (/proc/PID/task/*/comm).
    public func tid(_ pid: Int32, named name: String) throws -> Int32 {
        let matches = (procfs.threadIDs(pid) ?? []).filter { procfs.comm(pid, thread: $0) == name }
        guard matches.count == 1, let tid = matches.first else {
            throw TestFailure("pid \(pid) has \(matches.count) threads named \(name)")
        }
        return tid
    }

    /// The daemon's idle child: the process whose /proc/PID/stat names the daemon as parent.
    public func daemonChild() throws -> Int32 {
        let children = procfs.processIDs().filter { procfs.stat($0)?.parentID == daemon }
        guard children.count == 1, let child = children.first else {
            throw TestFailure("the daemon \(daemon) has children \(children), not one")
        }
        return child
    }

    /// Every process of the pair: client, daemon, the daemon's child.
    public func processes() -> [Int32] {
        [client, daemon] + ((try? daemonChild()).map { [$0] } ?? [])
    }

    /// What the client wrote to stderr.
    public func standardError() -> String {
        (try? String(contentsOfFile: directory + "/stderr", encoding: .utf8)) ?? ""
    }

    /// Kills the group, reaps the client, waits for the daemon and its child
    /// to be gone, removes the directory. Safe to call twice.
    public func stop() {
        guard !stopped else { return }
        stopped = true
        let family = processes()
        Self.kill(group: client, directory: directory, stdoutFD: stdoutFD)
        _ = waitUntil(timeout: 10) { family.allSatisfy { pid in procfs.stat(pid).map { $0.state == .zombie } ?? true } }
    }

    private static func kill(group: Int32, directory: String, stdoutFD: Int32) {
        killpg(group, SIGKILL)
        killpg(group, SIGCONT)
        var status: Int32 = 0
        _ = waitpid(group, &status, 0)
        close(stdoutFD)
        try? FileManager.default.removeItem(atPath: directory)
    }

    private static func readLine(from fd: Int32, timeout: Double, pid: Int32) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var buffered: [UInt8] = []
        while true {
            if let newline = buffered.firstIndex(of: 10) { return String(decoding: buffered[..<newline], as: UTF8.self) }
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else { throw TestFailure("fixture-client \(pid) did not print its ready line in \(timeout) s") }
            var pollFD = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&pollFD, 1, Int32(min(remaining, 1) * 1000)) > 0 else { continue }
            var chunk = [UInt8](repeating: 0, count: 512)
            let n = read(fd, &chunk, chunk.count)
            if n <= 0 { throw TestFailure("fixture-client \(pid) exited before its ready line") }
            buffered.append(contentsOf: chunk[0..<n])
        }
    }
}
