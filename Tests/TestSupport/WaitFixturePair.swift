import Foundation
import ProcFS
#if canImport(Glibc)
import Glibc
#endif

/// The wait fixture pair running: fixture-client, spawned in a process group
/// of its own, and the fixture-daemon it started (and the daemon's idle
/// child), every thread blocked where docs/WAIT-FIXTURES.md says.
/// `stop()` (or deinit) kills the whole group and removes the socket's directory.
public final class WaitFixturePair: @unchecked Sendable {
    public let client: Int32
    public let daemon: Int32
    /// The daemon's unix listener (DIR/daemon.sock).
    public let socketPath: String
    /// The daemon's loopback TCP listener.
    public let port: Int
    public let directory: String
    private let process: ChildProcess
    private var stopped = false
    let procfs = ProcFS()

    /// Starts the pair and returns once the client printed its ready line and
    /// its short-lived ready-check thread is gone (only the contract's threads remain).
    public init(timeout: Double = 40) throws {
        directory = try makeTempDirectory("wait-pair")
        do {
            process = try ChildProcess(path: BuiltProducts.path("fixture-client"), arguments: ["--dir", directory],
                                       ownProcessGroup: true)
        } catch {
            try? FileManager.default.removeItem(atPath: directory)
            throw error
        }
        client = process.pid
        let line: String
        do {
            line = try process.waitForLine(startingWith: "ready", timeout: timeout)
        } catch {
            Self.kill(process, directory: directory)
            throw TestFailure("\(error); fixture-client's stderr: \(process.standardError())")
        }
        guard let ready = ReadyLine(line), ready.client == client else {
            Self.kill(process, directory: directory)
            throw TestFailure("fixture-client printed \(line.debugDescription), not its ready line")
        }
        daemon = ready.daemon
        socketPath = ready.socket
        port = ready.port
        let client = client
        guard waitUntil(timeout: 5, { procfs.threadIDs(client)?.count == 2 }) else {
            stop()
            throw TestFailure("fixture-client kept a thread besides main and cycle-reader: \(procfs.threadIDs(client) ?? [])")
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
    public func standardError() -> String { process.standardError() }

    /// Kills the group, reaps the client, waits for the daemon and its child
    /// to be gone, removes the directory. Safe to call twice.
    public func stop() {
        guard !stopped else { return }
        stopped = true
        let family = processes()
        Self.kill(process, directory: directory)
        _ = waitUntil(timeout: 10) { family.allSatisfy { pid in procfs.stat(pid).map { $0.state == .zombie } ?? true } }
    }

    private static func kill(_ process: ChildProcess, directory: String) {
        killpg(process.pid, SIGKILL)
        process.terminate()
        try? FileManager.default.removeItem(atPath: directory)
    }
}
