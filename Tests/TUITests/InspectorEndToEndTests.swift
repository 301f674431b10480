import Foundation
import ProcFS
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Issue 5's acceptance, driven in tmux as a new user would.
@Suite(.timeLimit(.minutes(8))) struct InspectorEndToEndTests {
    let lwpscope = BuiltProducts.path("lwpscope")

    func startFixture(_ arguments: [String] = ["--spinners", "2", "--static-spinners", "1"]) throws -> ChildProcess {
        let child = try ChildProcess(path: BuiltProducts.path("fixture-threads-nofp"), arguments: arguments)
        try child.waitForLine(startingWith: "ready")
        return child
    }

    func characters(_ line: String) -> Int { line.count }

    @Test func attachShowsThreadsFlagsAndTheSecondThreadsBacktrace() throws {
        guard TmuxSession.isAvailable else { Issue.record("tmux missing"); return }
        let target = try startFixture()
        let tmux = try TmuxSession(width: 120, height: 40, command: lwpscope, arguments: [String(target.pid)])
        let screen = try tmux.waitFor("spinner-2")
        let text = screen.joined(separator: "\n")
        for name in ["spinner-1", "static-spin-1", "sleeper", "condwait", "reader", "worker-7"] {
            #expect(text.contains(name), "\(name) missing")
        }
        #expect(text.contains("Hold flags"))
        #expect(screen.contains { $0.contains("hold") && $0.contains(" 1") })

        // 2 then Down: the second thread (spinner-1) and its backtrace.
        try tmux.send("2")
        try tmux.send("Down")
        let afterDown = try tmux.waitFor("Backtrace \(try tid(target.pid, "spinner-1"))")
        let backtrace = afterDown.joined(separator: "\n")
        #expect(backtrace.contains("spin_on_hold+0x"))
        #expect(backtrace.contains("thread_main+0x"))
        #expect(backtrace.contains("start_thread+0x"))

        try tmux.send("q")
        #expect(tmux.exitStatus() == 0)
        #expect(TaskStates.untraced(target.pid), "\(TaskStates.of(target.pid))")
    }

    @Test func spaceOnTheFirstFlagReleasesItsSpinners() throws {
        guard TmuxSession.isAvailable else { Issue.record("tmux missing"); return }
        let target = try startFixture()
        let spinners = try ["spinner-1", "spinner-2"].map { try tid(target.pid, $0) }
        let staticSpinner = try tid(target.pid, "static-spin-1")
        let tmux = try TmuxSession(width: 120, height: 40, command: lwpscope, arguments: [String(target.pid)])
        try tmux.waitFor("Hold flags")
        try tmux.send("4")
        try tmux.send("Space")
        try tmux.waitFor("hold = 0")
        for spinner in spinners {
            #expect(waitUntil { ProcFS().thread(target.pid, spinner)?.state == .sleeping }, "thread \(spinner) still spins")
        }
        #expect(ProcFS().thread(target.pid, staticSpinner)?.state == .running)
        try tmux.send("q")
        #expect(tmux.exitStatus() == 0)
        #expect(TaskStates.untraced(target.pid))
    }

    @Test func resizeFrom120x40To80x24RedrawsWithin80Columns() throws {
        guard TmuxSession.isAvailable else { Issue.record("tmux missing"); return }
        let target = try startFixture()
        let tmux = try TmuxSession(width: 120, height: 40, command: lwpscope, arguments: [String(target.pid)])
        try tmux.waitFor("spinner-2")
        try tmux.resize(width: 80, height: 24)
        // Until the redraw at the new size: the box closes at column 80, the key bar is on row 24.
        let screen = try tmux.waitUntil { screen in
            screen.contains { $0.hasPrefix("┌") && characters($0) == 80 && $0.hasSuffix("┐") }
                && screen.prefix(24).last?.contains("qQuit") == true
        }
        #expect(screen.count <= 25)
        #expect(screen.allSatisfy { characters($0) <= 80 }, "\(screen.joined(separator: "\n"))")
        // Redrawn, not left over: the box closes at column 80 and the key bar is on the last row.
        #expect(screen.contains { $0.hasPrefix("┌") && characters($0) == 80 && $0.hasSuffix("┐") })
        #expect(screen.prefix(24).last?.contains("qQuit") == true)
        #expect(screen.joined().contains("spinner-1"))
        try tmux.send("q")
        #expect(tmux.exitStatus() == 0)
        #expect(TaskStates.untraced(target.pid))
    }

    @Test func pickerFilterAndEnterAttaches() throws {
        guard TmuxSession.isAvailable else { Issue.record("tmux missing"); return }
        // A label no other process has, so the filter leaves exactly one row.
        let label = "picker\(UInt32.random(in: 100_000...999_999))"
        let target = try startFixture(["--workers", "3", "--label", label])
        let tmux = try TmuxSession(width: 120, height: 40, command: lwpscope, arguments: [])
        try tmux.waitFor("COMMAND")
        try tmux.send("/")
        try tmux.send(label, literal: true)
        try tmux.waitFor(" 1 of ", timeout: 30)
        try tmux.send("Enter")
        try tmux.send("Enter")
        let screen = try tmux.waitFor("worker-3")
        #expect(screen.first?.contains("PID \(target.pid)") == true, "\(screen.first ?? "")")
        try tmux.send("q")
        #expect(tmux.exitStatus() == 0)
        #expect(TaskStates.untraced(target.pid))
    }

    @Test(arguments: [SIGTERM, SIGHUP, SIGKILL])
    func killingTheInspectorLeavesTheTargetRunning(signal: Int32) throws {
        guard TmuxSession.isAvailable else { Issue.record("tmux missing"); return }
        let target = try startFixture()
        let tmux = try TmuxSession(width: 100, height: 30, command: lwpscope, arguments: [String(target.pid)])
        try tmux.waitFor("spinner-2")
        let inspector = try #require(try tmux.commandPID())
        kill(inspector, signal)
        let status = try #require(tmux.exitStatus(), "lwpscope did not end on signal \(signal)")
        #expect(status == 128 + signal)
        #expect(TaskStates.untraced(target.pid), "\(TaskStates.of(target.pid))")
        #expect(TaskStates.of(target.pid).allSatisfy { $0.state != .tracingStop && $0.state != .stopped })
    }

    @Test func gHandsTheProcessToGDBAndComesBack() throws {
        guard TmuxSession.isAvailable, findExecutable("gdb") != nil else { Issue.record("tmux or gdb missing"); return }
        let target = try startFixture()
        let tmux = try TmuxSession(width: 120, height: 40, command: lwpscope, arguments: [String(target.pid)])
        try tmux.waitFor("spinner-2")
        try tmux.send("g")
        try tmux.waitFor("(gdb)", timeout: 180) // gdb reads libc's debug file: slow under load
        // gdb, not lwpscope, traces it now.
        let gdbTracer = TaskStates.of(target.pid).first?.tracerID ?? 0
        #expect(ProcFS().stat(gdbTracer)?.name == "gdb")
        try tmux.send("detach", "Enter")
        try tmux.send("quit", "Enter")
        try tmux.waitFor("back from gdb", timeout: 30)
        try tmux.waitFor("spinner-2")
        try tmux.send("q")
        #expect(tmux.exitStatus() == 0)
        #expect(TaskStates.untraced(target.pid))
    }

    @Test func aTargetThatExitsShowsItsStatusAndReturnsToThePicker() throws {
        guard TmuxSession.isAvailable else { Issue.record("tmux missing"); return }
        let target = try startFixture()
        let tmux = try TmuxSession(width: 120, height: 40, command: lwpscope, arguments: [String(target.pid)])
        try tmux.waitFor("spinner-2")
        kill(target.pid, SIGTERM)
        let screen = try tmux.waitFor("killed by signal 15")
        #expect(screen.joined().contains("attach to a process"))
        try tmux.send("q")
        #expect(tmux.exitStatus() == 0)
    }

    /// Issue 8: `c` folds the 40 threads parked in one place into one row of
    /// 40, first; the backtrace pane shows inline frames and source lines.
    @Test func cGroupsFortyParkedThreadsIntoOneRow() throws {
        guard TmuxSession.isAvailable else { Issue.record("tmux missing"); return }
        let target = try ChildProcess(path: BuiltProducts.path("fixture-lines"), arguments: ["--parked", "40"])
        try target.waitForLine(startingWith: "ready")
        let tmux = try TmuxSession(width: 160, height: 50, command: lwpscope, arguments: [String(target.pid)])
        // Swift Testing keeps only the end of a long message: name the step first.
        func waitFor(_ text: String) throws -> [String] {
            do { return try step(tmux, text) } catch {
                Issue.record("the screen never showed \(text)")
                throw error
            }
        }
        _ = try step(tmux, "2 Threads 45 by TID")
        try tmux.send("2")
        try tmux.send("c")
        let screen = try step(tmux, "45 in 6 stack groups")
        let firstRow = try #require(screen.firstIndex { $0.contains("COUNT") }.map { screen[$0 + 1] })
        #expect(firstRow.contains(" 40 ") && firstRow.contains("parked-1 "), "\(firstRow)")
        try tmux.send("Up", "Up", "Up")
        _ = try step(tmux, "and 39 more with this stack")
        // The pane keeps the last backtrace's height until the next draw.
        let backtrace = try tmux.waitUntil(timeout: 10) { $0.joined(separator: "\n").contains("park_the_same_way+0x") }
            .joined(separator: "\n")
        #expect(backtrace.contains("inline wait_for_work"), "\(backtrace)")
        #expect(backtrace.contains("park_the_same_way+0x"), "\(backtrace)")
        #expect(backtrace.contains("at main.c:"), "\(backtrace)")

        try tmux.send("c")
        _ = try step(tmux, "2 Threads 45 by TID")
        try tmux.send("q")
        #expect(tmux.exitStatus() == 0)
        #expect(TaskStates.untraced(target.pid), "\(TaskStates.of(target.pid))")
    }

    /// tmux.waitFor, naming what never came first: Swift Testing keeps only
    /// the end of a long message, the bottom of the screen.
    @discardableResult
    func step(_ tmux: TmuxSession, _ text: String) throws -> [String] {
        do { return try tmux.waitFor(text) } catch {
            Issue.record("the screen never showed \(text)")
            throw error
        }
    }

    func tid(_ pid: Int32, _ name: String) throws -> Int32 {
        try #require(ProcFS().threads(pid)?.first { $0.name == name }?.id)
    }
}

