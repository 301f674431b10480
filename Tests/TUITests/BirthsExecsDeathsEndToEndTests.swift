import Foundation
import ProcFS
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Issue 16's inspector, in tmux, on `lwpscope run -- fixture-spawner`: a
/// crash is held and announced with its thread selected, `r` lets the
/// process die of it; an exec that matches `--execs` is held and
/// announced, and `q` leaves daemon and child running, untraced.
@Suite(.timeLimit(.minutes(8))) struct BirthsExecsDeathsEndToEndTests {
    let lwpscope = BuiltProducts.path("lwpscope")
    let spawner = BuiltProducts.path("fixture-spawner")

    /// The program `run` started: lwpscope's child, once it is fixture-spawner.
    func daemon(of tmux: TmuxSession) throws -> Int32 {
        var found: Int32?
        _ = waitUntil(timeout: 30) {
            guard let us = try? tmux.commandPID() else { return false }
            // The engine's thread spawned it, so it is not in the main thread's children file.
            found = ProcFS().processListing().first {
                $0.parentID == us && ProcFS().executablePath($0.pid)?.hasSuffix("/fixture-spawner") == true
            }?.pid
            return found != nil
        }
        return try #require(found, "lwpscope run started no fixture-spawner")
    }

    @Test func aCrashIsHeldWithItsThreadSelectedAndRLetsItDieOfIt() throws {
        guard TmuxSession.isAvailable else { Issue.record("tmux missing"); return }
        let tmux = try TmuxSession(width: 200, height: 50, command: lwpscope, arguments: ["run", "--", spawner])
        let pid = try daemon(of: tmux)
        try step(tmux, "fixture-spawner")
        // Only once the program handles SIGUSR2 (it says ready) is the signal a request.
        _ = waitUntil(timeout: 30) { ProcFS().status(pid)?.handlesOrIgnores(SIGUSR2) == true }
        kill(pid, SIGUSR2)
        try step(tmux, "got SIGSEGV")
        let crasher = try #require(ProcFS().threads(pid)?.first { $0.name == "crasher" }?.id)
        // The selection follows with the next refresh, a frame after the message.
        let screen = try step(tmux, "Backtrace \(crasher)", timeout: 15)
        #expect(screen.contains { $0.contains(" \(crasher) ") && $0.contains("SIGSEGV") }, "HELD does not say SIGSEGV")
        #expect(ProcFS().thread(pid, crasher)?.state == .tracingStop)
        try tmux.send("r")
        // lwpscope started it, so lwpscope's session reaps it: gone, by SIGSEGV.
        try step(tmux, "signal 11")
        #expect(waitUntil(timeout: 10) { ProcFS().stat(pid) == nil || ProcFS().stat(pid)?.state == .zombie })
        try tmux.send("q")
        if tmux.exitStatus(timeout: 10) == nil { try tmux.send("q") }
        #expect(tmux.exitStatus(timeout: 20) == 0)
    }

    @Test func anExecThatMatchesIsHeldAndQuitLeavesBothRunning() throws {
        guard TmuxSession.isAvailable else { Issue.record("tmux missing"); return }
        let tmux = try TmuxSession(width: 200, height: 50, command: lwpscope,
                                   arguments: ["run", "--execs", "fixture-spawn*", "--", spawner, "--exec", spawner, "--target"])
        let pid = try daemon(of: tmux)
        defer { kill(pid, SIGTERM) }
        try step(tmux, "fixture-spawner")
        _ = waitUntil(timeout: 30) { ProcFS().status(pid)?.handlesOrIgnores(SIGUSR1) == true }
        kill(pid, SIGUSR1)
        try step(tmux, "held at exec of")
        var child: Int32?
        _ = waitUntil(timeout: 10) {
            let children = (try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8)) ?? ""
            child = children.split(separator: " ").compactMap { Int32($0) }.first
            return child != nil
        }
        let forked = try #require(child)
        #expect(ProcFS().thread(forked, forked)?.state == .tracingStop)
        try tmux.send("q")
        if tmux.exitStatus(timeout: 10) == nil { try tmux.send("q") }
        #expect(tmux.exitStatus(timeout: 20) == 0)
        for task in [pid, forked] {
            #expect(waitUntil(timeout: 5) { TaskStates.untraced(task) }, "\(TaskStates.of(task))")
        }
        #expect(waitUntil(timeout: 5) { ProcFS().thread(forked, forked)?.state != .tracingStop })
    }

    @discardableResult
    func step(_ tmux: TmuxSession, _ text: String, timeout: Double = 90) throws -> [String] {
        do { return try tmux.waitFor(text, timeout: timeout) } catch {
            Issue.record("the screen never showed \(text)")
            throw error
        }
    }
}
