import CPtrace
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A child process started with posix_spawn, with its stdout on a pipe.
///
/// Tests use posix_spawn rather than Foundation's Process, whose reaper
/// thread would call waitpid and could steal ptrace stops from the engine.
public final class ChildProcess: @unchecked Sendable {
    public let pid: pid_t
    private let stdoutFD: Int32
    /// The write end of its stdin, with `withInput`; -1 once closed.
    private var stdinFD: Int32 = -1
    private var buffered: [UInt8] = []
    private var reaped = false
    private let stderrPath: String

    /// `ownProcessGroup`: the child leads a new process group, so killpg(pid)
    /// reaches what it starts too (the wait fixture pair's daemon).
    /// `withInput`: its stdin is a pipe (`send`, `closeInput`) instead of /dev/null.
    public init(path: String, arguments: [String] = [], ownProcessGroup: Bool = false, withInput: Bool = false) throws {
        // Close-on-exec from birth (pipe2), so children other tests spawn
        // meanwhile never hold our pipe open.
        var pipeFDs: [Int32] = [0, 0]
        guard pipeClosedOnExec(&pipeFDs) else { throw TestFailure("pipe: \(errno)") }
        var inputFDs: [Int32] = [-1, -1]
        if withInput {
            guard pipeClosedOnExec(&inputFDs) else { throw TestFailure("pipe: \(errno)") }
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, pipeFDs[1], 1)
        if withInput {
            posix_spawn_file_actions_adddup2(&actions, inputFDs[0], 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        let stderrPath = FileManager.default.temporaryDirectory.appendingPathComponent("lwpscope-stderr-\(UUID().uuidString)").path
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var child: pid_t = 0
        let attributes = SpawnAttributes()
        if ownProcessGroup { attributes.startNewProcessGroup() }
        let rc = posix_spawn(&child, path, &actions, &attributes.raw, argv, environ)
        close(pipeFDs[1])
        if withInput { close(inputFDs[0]) }
        guard rc == 0 else {
            close(pipeFDs[0])
            if withInput { close(inputFDs[1]) }
            throw TestFailure("posix_spawn \(path): \(String(cString: strerror(rc)))")
        }
        pid = child
        stdoutFD = pipeFDs[0]
        stdinFD = inputFDs[1]
        self.stderrPath = stderrPath
    }

    /// Writes `line` and a newline to its stdin (with `withInput`).
    public func send(_ line: String) {
        guard stdinFD >= 0 else { return }
        let bytes = Array((line + "\n").utf8)
        _ = bytes.withUnsafeBytes { write(stdinFD, $0.baseAddress, $0.count) }
    }

    /// Closes its stdin: EOF to it.
    public func closeInput() {
        guard stdinFD >= 0 else { return }
        close(stdinFD)
        stdinFD = -1
    }

    /// Everything the child wrote to stderr so far.
    public func standardError() -> String {
        (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
    }

    deinit {
        terminate()
        closeInput()
        close(stdoutFD)
        unlink(stderrPath)
    }

    /// Reads stdout until a line equal to `word` (or starting with it) arrives.
    @discardableResult
    public func waitForLine(startingWith word: String, timeout: Double = 20) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let newline = buffered.firstIndex(of: 10) {
                let line = String(decoding: buffered[..<newline], as: UTF8.self)
                buffered.removeSubrange(...newline)
                if line.hasPrefix(word) { return line }
                continue
            }
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else { throw TestFailure("pid \(pid) did not print \(word) in \(timeout) s") }
            var pollFD = pollfd(fd: stdoutFD, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pollFD, 1, Int32(min(remaining, 1) * 1000))
            if ready <= 0 { continue }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let n = read(stdoutFD, &chunk, chunk.count)
            if n <= 0 { throw TestFailure("pid \(pid) closed stdout before printing \(word)") }
            buffered.append(contentsOf: chunk[0..<n])
        }
    }

    /// The next line of stdout; nil at EOF or when none came within `timeout` seconds.
    public func readLine(timeout: Double) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let newline = buffered.firstIndex(of: 10) {
                let line = String(decoding: buffered[..<newline], as: UTF8.self)
                buffered.removeSubrange(...newline)
                return line
            }
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else { return nil }
            var pollFD = pollfd(fd: stdoutFD, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pollFD, 1, Int32(min(remaining, 0.2) * 1000) + 1)
            if ready <= 0 { continue }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let n = read(stdoutFD, &chunk, chunk.count)
            if n <= 0 { return nil }
            buffered.append(contentsOf: chunk[0..<n])
        }
    }

    /// Kills the child and reaps it. Safe to call twice.
    public func terminate() {
        guard !reaped else { return }
        kill(pid, SIGKILL)
        // SIGCONT too, in case a test left it stopped: a stopped process still dies on SIGKILL,
        // but being explicit costs nothing.
        kill(pid, SIGCONT)
        _ = waitForExit(timeout: 10)
    }

    /// Waits for the child to exit and returns its wait status, or nil on timeout.
    @discardableResult
    public func waitForExit(timeout: Double) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        var status: Int32 = 0
        while true {
            let rc = waitpid(pid, &status, WNOHANG)
            if rc == pid || (rc < 0 && errno == ECHILD) {
                reaped = true
                return status
            }
            if Date() > deadline { return nil }
            usleep(2000)
        }
    }
}

public struct TestFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Starts a program just written to disk. A child another test forks can
/// still hold a write descriptor to it for a moment (ETXTBSY): busy is retried.
public func startFreshBinary(_ path: String, arguments: [String] = []) throws -> ChildProcess {
    for _ in 0 ..< 250 {
        do {
            return try ChildProcess(path: path, arguments: arguments)
        } catch let failure as TestFailure where failure.description.contains("Text file busy") {
            usleepMillis(20)
        }
    }
    return try ChildProcess(path: path, arguments: arguments)
}

/// pipe2(O_CLOEXEC), looked up by name: Glibc's module does not export it
/// (a _GNU_SOURCE declaration). Both ends are close-on-exec from birth.
func pipeClosedOnExec(_ fds: inout [Int32]) -> Bool {
    typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32
    guard let symbol = dlsym(nil, "pipe2") else { return false }
    let pipe2 = unsafeBitCast(symbol, to: Pipe2.self)
    return fds.withUnsafeMutableBufferPointer { pipe2($0.baseAddress!, O_CLOEXEC) } == 0
}
