import Foundation
import ProcFS
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Issue 14's acceptance in tmux, on the wait fixture pair: the client's
/// screen names the daemon's pid in WAITS ON, `f` on the client's blocked
/// main thread shows the daemon's threads with the client still in the
/// Processes pane, and `q` leaves both untraced and running.
@Suite(.serialized, .timeLimit(.minutes(8))) struct FollowWaitEndToEndTests {
    let lwpscope = BuiltProducts.path("lwpscope")

    @Test func fOnTheClientsBlockedThreadLandsOnTheDaemonAndQuitLeavesBothUntraced() throws {
        guard TmuxSession.isAvailable else { Issue.record("tmux missing"); return }
        let pair = try WaitFixturePair()
        defer { pair.stop() }
        let (client, daemon) = (pair.client, pair.daemon)
        let tmux = try TmuxSession(width: 220, height: 50, command: lwpscope, arguments: [String(client)])

        // The main thread (tid = pid) reads U3, whose other end the daemon holds.
        let named = try tmux.waitUntil(timeout: 60) { screen in
            threadRow(screen, tid: client, name: "fixture-client").map { tokens($0).contains(String(daemon)) } == true
        }
        let row = threadRow(named, tid: client, name: "fixture-client")
        #expect(row.map { tokens($0).contains(String(daemon)) } == true,
                "WAITS ON does not name daemon \(daemon): \(row ?? named.joined(separator: "\n"))")

        // Its place in the table's TID order (tids may wrap).
        let place = try #require((ProcFS().threadIDs(client) ?? []).sorted().firstIndex(of: client))
        try tmux.send("2")
        try tmux.send("Home")
        for _ in 0..<place { try tmux.send("Down") }
        try step(tmux, "Backtrace \(client)")
        try tmux.send("f")

        let landed = try tmux.waitUntil(timeout: 60) { screen in
            screen.first?.contains("PID \(daemon) ") == true && threadRow(screen, name: "lock-a") != nil
                && treeMark(screen, pid: client) != nil
        }
        #expect(landed.first?.contains("PID \(daemon) ") == true, "not showing the daemon: \(landed.first ?? "")")
        #expect(threadRow(landed, name: "lock-a") != nil, "no lock-a row:\n\(landed.joined(separator: "\n"))")
        #expect(treeMark(landed, pid: client) == "T",
                "the client is not a traced row of pane 1:\n\(landed.joined(separator: "\n"))")
        #expect(TaskStates.of(client).allSatisfy { $0.tracerID != 0 }, "the client must stay attached")
        #expect(TaskStates.of(daemon).allSatisfy { $0.tracerID != 0 }, "the daemon is attached as well")

        try tmux.send("q")
        #expect(tmux.exitStatus(timeout: 30) == 0)
        for pid in [client, daemon] {
            #expect(waitUntil(timeout: 5) { runsUntraced(pid) }, "\(TaskStates.of(pid))")
        }
    }

    /// `lwpscope CLIENT DAEMON`: one session of both, the client shown and
    /// the daemon a traced row of pane 1; Enter on it shows its threads; `q`
    /// lets both go. A pid that cannot be attached fails the whole start.
    @Test func twoPidsOnTheCommandLineAreOneSession() throws {
        guard TmuxSession.isAvailable else { Issue.record("tmux missing"); return }
        let pair = try WaitFixturePair()
        defer { pair.stop() }
        let (client, daemon) = (pair.client, pair.daemon)
        let tmux = try TmuxSession(width: 220, height: 50, command: lwpscope, arguments: [String(client), String(daemon)])
        let both = try tmux.waitUntil(timeout: 60) { screen in
            screen.first?.contains("PID \(client) ") == true && treeMark(screen, pid: client) == "*"
                && treeMark(screen, pid: daemon) == "T"
        }
        #expect(both.first?.contains("PID \(client) ") == true, "not showing the client: \(both.first ?? "")")
        #expect(treeMark(both, pid: daemon) == "T", "the daemon is not a traced row of pane 1:\n\(both.joined(separator: "\n"))")
        #expect(TaskStates.of(daemon).allSatisfy { $0.tracerID != 0 }, "the daemon must be attached from the start")
        try tmux.send("q")
        #expect(tmux.exitStatus(timeout: 30) == 0)
        for pid in [client, daemon] {
            #expect(waitUntil(timeout: 5) { runsUntraced(pid) }, "\(TaskStates.of(pid))")
        }

        // A gone pid after a good one: one line, non-zero, the good one let go.
        let refused = try TmuxSession(width: 120, height: 20, command: lwpscope, arguments: [String(client), "999999"])
        let status = refused.exitStatus(timeout: 30)
        #expect(status != nil && status != 0, "exit status \(String(describing: status))")
        #expect(try refused.capture().joined(separator: "\n").contains("999999"))
        #expect(waitUntil(timeout: 5) { runsUntraced(client) }, "\(TaskStates.of(client))")
    }

    /// tmux.waitFor, naming what never came first.
    @discardableResult
    func step(_ tmux: TmuxSession, _ text: String, timeout: Double = 45) throws -> [String] {
        do { return try tmux.waitFor(text, timeout: timeout) } catch {
            Issue.record("the screen never showed \(text)")
            throw error
        }
    }
}

/// The client of the wait fixtures, its daemon started by it, in a
/// directory of their own; `stop` kills both and removes the directory.
private struct WaitFixturePair {
    let process: ChildProcess
    let client: Int32
    let daemon: Int32
    let directory: String

    init() throws {
        // Short: the socket's path is part of WAITS ON, which must not be cut before the pid.
        var template = Array("/tmp/lwf-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw TestFailure("mkdtemp: \(errno)") }
        directory = String(cString: made)
        process = try ChildProcess(path: BuiltProducts.path("fixture-client"), arguments: ["--dir", directory])
        let ready: String
        do { ready = try process.waitForLine(startingWith: "ready ", timeout: 60) } catch {
            process.terminate()
            try? FileManager.default.removeItem(atPath: directory)
            throw error
        }
        // ready client=<pid> daemon=<pid> socket=<path> port=<port>
        var fields: [String: String] = [:]
        for word in ready.split(separator: " ") {
            let parts = word.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { fields[String(parts[0])] = String(parts[1]) }
        }
        guard let client = fields["client"].flatMap({ Int32($0) }), let daemon = fields["daemon"].flatMap({ Int32($0) })
        else {
            process.terminate()
            try? FileManager.default.removeItem(atPath: directory)
            throw TestFailure("not a ready line: \(ready)")
        }
        self.client = client
        self.daemon = daemon
    }

    func stop() {
        let daemonChildren = children(of: daemon)
        process.terminate()
        // PR_SET_PDEATHSIG kills them too; this is in case a test left them stopped.
        for pid in [daemon] + daemonChildren {
            kill(pid, SIGKILL)
            kill(pid, SIGCONT)
        }
        try? FileManager.default.removeItem(atPath: directory)
    }
}

/// A thread table row, as the part of a screen line between two borders
/// (`│`, or `┤` where a pane on the left ends its top border beside it):
/// right-aligned TID, NAME, the state letter and CPU%. Pane 1's rows start
/// with a mark or a tree branch instead.
private func threadRow(_ screen: [String], tid: Int32? = nil, name: String) -> String? {
    for line in screen {
        for segment in line.split(whereSeparator: { "│┤├".contains($0) }).map(String.init) {
            let words = tokens(segment)
            guard words.count >= 4, let first = words.first, let number = Int32(first),
                  segment.hasPrefix(" "), words[1] == name, words[2].count == 1, Double(words[3]) != nil
            else { continue }
            if tid == nil || number == tid { return segment }
        }
    }
    return nil
}

/// The mark of pane 1's row of `pid` (`*` shown, `T` traced, blank):
/// the mark, the held-at-birth column, a blank, the tree branches, the pid.
private func treeMark(_ screen: [String], pid: Int32) -> Character? {
    let pattern = try! NSRegularExpression(pattern: "(?:^|│)([*T ])[B ] [│├└─ ]*\(pid) ")
    for line in screen {
        let range = NSRange(line.startIndex..., in: line)
        guard let match = pattern.firstMatch(in: line, range: range),
              let mark = Range(match.range(at: 1), in: line) else { continue }
        return line[mark].first
    }
    return nil
}

private func tokens(_ text: String) -> [String] {
    text.split(whereSeparator: { $0 == " " }).map(String.init)
}

/// Every thread untraced and not stopped (by a signal or under trace).
private func runsUntraced(_ pid: Int32) -> Bool {
    let states = TaskStates.of(pid)
    return !states.isEmpty && states.allSatisfy { $0.tracerID == 0 && $0.state != .tracingStop && $0.state != .stopped }
}

private func children(of pid: Int32) -> [Int32] {
    let text = (try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8)) ?? ""
    return text.split(separator: " ").compactMap { Int32($0) }
}
