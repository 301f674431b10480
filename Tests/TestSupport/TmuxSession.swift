import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A detached tmux session on a private server socket, running one command:
/// how end-to-end tests drive the full-screen inspector like a user.
public final class TmuxSession: @unchecked Sendable {
    public static var isAvailable: Bool { findExecutable("tmux") != nil }

    public let socket: String
    private let tmux: String
    public let statusFile: String

    /// Runs `command arguments...` in a `width`x`height` window. When the
    /// command ends, its exit status is written to `statusFile`.
    /// - environment: `NAME=value` pairs added to (or overriding) the defaults,
    ///   e.g. `NO_COLOR=1` or `LANG=C`.
    public init(width: Int, height: Int, command: String, arguments: [String], environment: [String] = []) throws {
        guard let tmux = findExecutable("tmux") else { throw TestFailure("tmux is not installed") }
        self.tmux = tmux
        socket = "lwpscope-test-\(getpid())-\(UUID().uuidString.prefix(8))"
        statusFile = FileManager.default.temporaryDirectory.appendingPathComponent("\(socket).status").path
        let quoted = ([command] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        let script = "\(quoted.joined(separator: " ")); echo $? > '\(statusFile)'; sleep 600"
        let result = try run(tmux, ["-L", socket, "-f", "/dev/null", "new-session", "-d", "-x", String(width), "-y", String(height),
                                    "env", "TERM=xterm-256color", "LANG=C.UTF-8", "LC_ALL=C.UTF-8"] + environment
                                    + ["/bin/sh", "-c", script])
        guard result.exitCode == 0 else { throw TestFailure("tmux new-session: \(result.stderr)") }
    }

    deinit {
        _ = try? run(tmux, ["-L", socket, "kill-server"])
        unlink(statusFile)
    }

    /// The screen as text, one line per row.
    public func capture() throws -> [String] {
        let result = try run(tmux, ["-L", socket, "capture-pane", "-p"])
        return result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// The screen with its SGR escapes (`capture-pane -e`), one line per row:
    /// how a test tells bold, reverse or underline cells apart.
    public func captureWithAttributes() throws -> [String] {
        let result = try run(tmux, ["-L", socket, "capture-pane", "-e", "-p"])
        return result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// Waits until the screen contains `text` (up to `timeout` seconds); returns the screen.
    /// The limit only catches hangs: in a full run on 2 cores, with other
    /// tests' fixtures spinning, the inspector's first refresh (reading every
    /// module, unwinding every thread) was seen to take over 15 s.
    @discardableResult
    public func waitFor(_ text: String, timeout: Double = 45) throws -> [String] {
        let screen = try waitUntil(timeout: timeout) { $0.contains { $0.contains(text) } }
        guard screen.contains(where: { $0.contains(text) }) else {
            throw TestFailure("screen never showed \(text):\n\(screen.joined(separator: "\n"))")
        }
        return screen
    }

    /// Captures the screen every 0.1 s until `condition` holds on it (up to
    /// `timeout` seconds); returns the last screen captured either way, for
    /// the caller's own assertions.
    @discardableResult
    public func waitUntil(timeout: Double = 45, _ condition: ([String]) -> Bool) throws -> [String] {
        let deadline = Date().addingTimeInterval(timeout)
        var screen = try capture()
        while !condition(screen), Date() < deadline {
            usleep(100_000)
            screen = try capture()
        }
        return screen
    }

    /// tmux key names (`Down`, `Space`, `Enter`, `q`) or literal text with `literal: true`.
    public func send(_ keys: String..., literal: Bool = false) throws {
        _ = try run(tmux, ["-L", socket, "send-keys"] + (literal ? ["-l"] : []) + keys)
    }

    public func resize(width: Int, height: Int) throws {
        _ = try run(tmux, ["-L", socket, "resize-window", "-x", String(width), "-y", String(height)])
    }

    /// The exit status of the command, once it has ended.
    public func exitStatus(timeout: Double = 10) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let text = try? String(contentsOfFile: statusFile, encoding: .utf8),
               let status = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                return status
            }
            usleep(50_000)
        }
        return nil
    }

    /// The pid of the command running in the window (the shell's child).
    public func commandPID() throws -> Int32? {
        let result = try run(tmux, ["-L", socket, "display-message", "-p", "#{pane_pid}"])
        guard let shell = Int32(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) else { return nil }
        let children = (try? String(contentsOfFile: "/proc/\(shell)/task/\(shell)/children", encoding: .utf8)) ?? ""
        return children.split(separator: " ").compactMap { Int32($0) }.first
    }
}
