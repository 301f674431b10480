import Foundation
import ProcFS
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Issue 13's controller bugs, driven in tmux as a new user would: the
/// picker attaches what it highlights, `g` keeps every setting and opens gdb
/// on the selected thread, a refusal names the tracer's process, and a
/// release while paused shows at once.
@Suite(.timeLimit(.minutes(8))) struct ControllerEndToEndTests {
    let lwpscope = BuiltProducts.path("lwpscope")

    func startFixture(_ arguments: [String]) throws -> ChildProcess {
        let child = try ChildProcess(path: BuiltProducts.path("fixture-threads-nofp"), arguments: arguments)
        try child.waitForLine(startingWith: "ready")
        return child
    }

    /// A label no other process has.
    func uniqueLabel(_ prefix: String) -> String { "\(prefix)\(UInt32.random(in: 100_000...999_999))" }

    @Test func thePickerAttachesTheProcessHighlightedAfterFiltering() throws {
        guard TmuxSession.isAvailable else { Issue.record("tmux missing"); return }
        let label = uniqueLabel("pickfilter")
        let targets = try (1...3).map { try startFixture(["--workers", "1", "--label", "\(label)-\($0)"]) }
        let pids = Set(targets.map(\.pid))
        let tmux = try TmuxSession(width: 200, height: 50, command: lwpscope, arguments: [])
        try step(tmux, "COMMAND")
        // The cursor well down the list first (once it is listed): its row
        // number must not carry over into the filtered list.
        let rows = try tmux.waitUntil { screen in
            screen.filter { $0.split(separator: " ").first.flatMap { Int32($0) } != nil }.count >= 14
        }
        #expect(rows.filter { $0.split(separator: " ").first.flatMap { Int32($0) } != nil }.count >= 14)
        for _ in 0..<12 { try tmux.send("Down") }
        try tmux.send("/")
        try tmux.send(label, literal: true)
        try step(tmux, " 3 of ")
        try tmux.send("Enter")
        try tmux.send("Down")
        // The second match in the order shown is the one highlighted now.
        let listed = try tmux.capture().compactMap { line in
            line.split(separator: " ").lazy.compactMap { Int32($0) }.first { pids.contains($0) }
        }
        #expect(listed.count == 3, "\(listed)")
        let second = try #require(listed.dropFirst().first)
        try tmux.send("Enter")
        let screen = try step(tmux, "Threads")
        #expect(screen.first?.contains("PID \(second)") == true, "expected PID \(second): \(screen.first ?? "")")
        try tmux.send("q")
        #expect(tmux.exitStatus() == 0)
        for target in targets { #expect(TaskStates.untraced(target.pid), "\(TaskStates.of(target.pid))") }
    }

    @Test func gKeepsHoldNewAndOpensGDBOnTheSelectedThread() throws {
        guard TmuxSession.isAvailable, findExecutable("gdb") != nil else { Issue.record("tmux or gdb missing"); return }
        let target = try startFixture(["--fork-on-sigusr2", "1"])
        let spinner = try tid(target.pid, "spinner-1")
        let tmux = try TmuxSession(width: 200, height: 50, command: lwpscope, arguments: [String(target.pid)])
        try step(tmux, "spinner-1")
        try tmux.send("n")
        try step(tmux, "holding new")
        // spinner-1, at its place in the table's TID order (tids may wrap).
        let place = try #require((ProcFS().threadIDs(target.pid) ?? []).sorted().firstIndex(of: spinner))
        try tmux.send("2")
        for _ in 0..<place { try tmux.send("Down") }
        try step(tmux, "Backtrace \(spinner)")
        try tmux.send("g")
        try step(tmux, "quit gdb to return to lwpscope")
        try step(tmux, "(gdb)", timeout: 180)
        try tmux.send("info threads", "Enter")
        let threads = try tmux.waitUntil { $0.contains { $0.hasPrefix("*") && $0.contains("(LWP ") } }
        let current = threads.first { $0.hasPrefix("*") && $0.contains("(LWP ") } ?? ""
        #expect(current.contains("(LWP \(spinner))"), "gdb's current thread: \(current)")
        try tmux.send("detach", "Enter")
        try tmux.send("quit", "Enter")
        try step(tmux, "back from gdb", timeout: 30)
        try step(tmux, "holding new")

        // Still held at birth, as before the hand-off.
        let before = Set(ProcFS().threadIDs(target.pid) ?? [])
        kill(target.pid, SIGUSR2)
        #expect(waitUntil(timeout: 20) { children(of: target.pid).first.map(isHeld) == true },
                "child: \(children(of: target.pid).map { TaskStates.of($0) })")
        let late = waitUntil(timeout: 20) { !newThreads(target.pid, since: before).isEmpty }
            ? newThreads(target.pid, since: before) : []
        // A new thread is listed a moment before its first stop: wait for the stop.
        #expect(late.count == 1, "\(TaskStates.of(target.pid))")
        #expect(waitUntil(timeout: 20) { late.allSatisfy { ProcFS().stat(target.pid, thread: $0)?.state == .tracingStop } },
                "\(TaskStates.of(target.pid))")
        #expect(throws: TestFailure.self) { try target.waitForLine(startingWith: "child ", timeout: 0.3) }
        let child = children(of: target.pid)

        try quit(tmux, leavingUntraced: [target.pid] + child)
    }

    @Test func aRefusedAttachNamesTheTracersProcessAndCommand() throws {
        guard TmuxSession.isAvailable else { Issue.record("tmux missing"); return }
        let label = uniqueLabel("refused")
        let target = try startFixture(["--workers", "1", "--label", label])
        let first = try TmuxSession(width: 200, height: 50, command: lwpscope, arguments: [String(target.pid)])
        try step(first, "spinner-1")
        let tracer = try #require(try first.commandPID())
        let engineThread = TaskStates.of(target.pid).first?.tracerID ?? 0
        #expect(engineThread != 0 && engineThread != tracer, "the engine traces from a thread of its own")
        func refusal(_ screen: [String]) -> String? {
            screen.first { $0.contains("traced") && $0.contains(String(tracer)) && $0.contains("lwpscope") }
        }

        // From the picker.
        let picker = try TmuxSession(width: 200, height: 50, command: lwpscope, arguments: [])
        try step(picker, "COMMAND")
        try picker.send("/")
        try picker.send(label, literal: true)
        try step(picker, " 1 of ")
        try picker.send("Enter")
        try picker.send("Enter")
        let pickerScreen = try picker.waitUntil(timeout: 20) { refusal($0) != nil }
        let pickerLine = refusal(pickerScreen)
        #expect(pickerLine != nil, "\(pickerScreen.joined(separator: "\n"))")
        #expect(pickerLine?.contains(" \(engineThread)") == false, "names the engine's thread: \(pickerLine ?? "")")
        try picker.send("q")
        #expect(picker.exitStatus() == 0)

        // And as `lwpscope PID`.
        let direct = try TmuxSession(width: 200, height: 50, command: lwpscope, arguments: [String(target.pid)])
        #expect(direct.exitStatus(timeout: 30).map { $0 != 0 } == true)
        let directScreen = try direct.capture()
        #expect(refusal(directScreen) != nil, "\(directScreen.joined(separator: "\n"))")

        try first.send("q")
        #expect(first.exitStatus() == 0)
        #expect(TaskStates.untraced(target.pid), "\(TaskStates.of(target.pid))")
    }

    @Test func aBirthHeldIsAnnouncedAndItsReleaseShowsWhilePaused() throws {
        guard TmuxSession.isAvailable else { Issue.record("tmux missing"); return }
        let (target, tmux) = try attachHoldingNew()
        let before = Set(ProcFS().threadIDs(target.pid) ?? [])
        kill(target.pid, SIGUSR2)
        try step(tmux, "held at birth")
        #expect(waitUntil(timeout: 20) { newThreads(target.pid, since: before).count == 1 })
        let late = try #require(newThreads(target.pid, since: before).first)
        // The thread's row, not a message naming it.
        func row(_ screen: [String]) -> String? {
            screen.first { line in
                line.split(separator: " ").contains { $0 == String(late) } && line.contains("│")
                    && !line.contains("held at") && !line.contains("released")
            }
        }
        let held = try tmux.waitUntil { row($0)?.contains("birth") == true }
        #expect(row(held)?.contains("birth") == true, "\(held.joined(separator: "\n"))")

        try tmux.send("p")
        try step(tmux, "PAUSED")
        // Its place by TID, as the table is sorted (not always last: tids wrap).
        let place = try #require((ProcFS().threadIDs(target.pid) ?? []).sorted().firstIndex(of: late))
        try tmux.send("2")
        for _ in 0..<30 { try tmux.send("Up") }
        for _ in 0..<place { try tmux.send("Down") }
        try step(tmux, "Backtrace \(late)")
        try tmux.send("r")
        let released = try tmux.waitUntil(timeout: 20) { screen in
            row(screen).map { !$0.contains("birth") } == true && screen.first?.contains("PAUSED") == true
        }
        #expect(row(released).map { !$0.contains("birth") } == true, "row left stale: \(row(released) ?? "none")")
        #expect(released.first?.contains("PAUSED") == true, "a one-off refresh does not unpause")
        #expect(waitUntil { ProcFS().stat(target.pid, thread: late)?.state != .tracingStop })
        let child = children(of: target.pid)

        try quit(tmux, leavingUntraced: [target.pid] + child)
    }

    /// The log (`l`, the screen's own part) shows what the engine and the
    /// controller reported, each with its time of day.
    @Test func theEventLogShowsTheForkTheSignalAndTheHold() throws {
        guard TmuxSession.isAvailable else { Issue.record("tmux missing"); return }
        let (target, tmux) = try attachHoldingNew()
        kill(target.pid, SIGUSR2)
        try step(tmux, "held at birth")
        let child = children(of: target.pid)
        try tmux.send("l")
        let log = try step(tmux, "forked child").joined(separator: "\n")
        for text in ["attached to \(target.pid)", "new threads and children are held at birth",
                     "SIGUSR2 passed on", "pid \(target.pid) (", "held at birth"] {
            #expect(log.contains(text), "\(text) missing from the log")
        }
        #expect(log.contains { $0 == ":" } && log.range(of: #"\d\d:\d\d:\d\d"#, options: .regularExpression) != nil,
                "no time of day")
        try tmux.send("Escape")
        try tmux.send("q")
        if tmux.exitStatus(timeout: 5) == nil { try tmux.send("q") }
        #expect(tmux.exitStatus() == 0)
        #expect(TaskStates.untraced(target.pid), "\(TaskStates.of(target.pid))")
        for pid in child { #expect(TaskStates.untraced(pid), "\(TaskStates.of(pid))") }
    }

    /// Pane 1: Enter on a child forked before lwpscope came (so not
    /// followed) attaches it as well; the parent stays traced.
    @Test func enterOnAnUntracedChildInPaneOneAttachesItToo() throws {
        guard TmuxSession.isAvailable else { Issue.record("tmux missing"); return }
        let target = try startFixture(["--fork-on-sigusr2", "1", "--workers", "1"])
        kill(target.pid, SIGUSR2)
        let announced = try target.waitForLine(startingWith: "child ")
        let child = try #require(announced.split(separator: " ").dropFirst().first.flatMap { Int32($0) })
        #expect(TaskStates.untraced(child))
        let tmux = try TmuxSession(width: 160, height: 45, command: lwpscope, arguments: [String(target.pid)])
        try step(tmux, "spinner-1")
        try step(tmux, "\(child) ")
        try tmux.send("1")
        try tmux.send("End")
        try step(tmux, "EnterAttach")
        try tmux.send("Enter")
        let screen = try tmux.waitUntil { $0.first?.contains("PID \(child) ") == true }
        #expect(screen.first?.contains("PID \(child) ") == true, "\(screen.joined(separator: "\n"))")
        #expect(waitUntil { TaskStates.of(child).allSatisfy { $0.tracerID != 0 } }, "\(TaskStates.of(child))")
        #expect(TaskStates.of(target.pid).allSatisfy { $0.tracerID != 0 }, "the parent must stay attached")
        try quit(tmux, leavingUntraced: [target.pid, child])
    }

    // MARK: Helpers

    /// A fixture that forks (and starts a thread) on SIGUSR2, attached in
    /// tmux with `n` on: what comes next is held at birth.
    func attachHoldingNew() throws -> (ChildProcess, TmuxSession) {
        let target = try startFixture(["--fork-on-sigusr2", "1"])
        let tmux = try TmuxSession(width: 200, height: 50, command: lwpscope, arguments: [String(target.pid)])
        try step(tmux, "spinner-1")
        try tmux.send("n")
        try step(tmux, "holding new")
        return (target, tmux)
    }

    /// `q`, a clean exit, and every one of `pids` untraced afterwards.
    func quit(_ tmux: TmuxSession, leavingUntraced pids: [Int32],
              sourceLocation: SourceLocation = #_sourceLocation) throws {
        try tmux.send("q")
        #expect(tmux.exitStatus() == 0, sourceLocation: sourceLocation)
        for pid in pids { #expect(TaskStates.untraced(pid), "\(TaskStates.of(pid))", sourceLocation: sourceLocation) }
    }

    /// tmux.waitFor, naming what never came first: Swift Testing keeps only
    /// the end of a long message, the bottom of the screen.
    @discardableResult
    func step(_ tmux: TmuxSession, _ text: String, timeout: Double = 45) throws -> [String] {
        do { return try tmux.waitFor(text, timeout: timeout) } catch {
            Issue.record("the screen never showed \(text)")
            throw error
        }
    }

    func tid(_ pid: Int32, _ name: String) throws -> Int32 {
        try #require(ProcFS().threads(pid)?.first { $0.name == name }?.id)
    }
}

/// The processes `pid` forked, from /proc.
private func children(of pid: Int32) -> [Int32] {
    let text = (try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8)) ?? ""
    return text.split(separator: " ").compactMap { Int32($0) }
}

/// Stopped under trace: held.
private func isHeld(_ pid: Int32) -> Bool {
    let states = TaskStates.of(pid)
    return !states.isEmpty && states.allSatisfy { $0.state == .tracingStop && $0.tracerID != 0 }
}

private func newThreads(_ pid: Int32, since before: Set<Int32>) -> [Int32] {
    (ProcFS().threadIDs(pid) ?? []).filter { !before.contains($0) }
}
