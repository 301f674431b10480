import Foundation
import ProcFS
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Issue 13's layout, as a new user sees it in tmux: the thread table gets
/// the rows, backtrace lines keep their source line at 80x24, the help's last
/// line can be reached, and without colours the selected row is not drawn
/// like the header.
@Suite(.timeLimit(.minutes(8))) struct ScreenLayoutEndToEndTests {
    let lwpscope = BuiltProducts.path("lwpscope")

    /// 36 threads: main, sleeper, condwait, reader and 32 workers; none spins.
    func startThirtySixThreads() throws -> ChildProcess {
        let child = try ChildProcess(
            path: BuiltProducts.path("fixture-threads-nofp"), arguments: ["--spinners", "0", "--workers", "32"])
        try child.waitForLine(startingWith: "ready")
        return child
    }

    @Test func atLeastThirtyThreadRowsAt120x40() throws {
        guard TmuxSession.isAvailable else { Issue.record("tmux missing"); return }
        let target = try startThirtySixThreads()
        let threads = try #require(ProcFS().threads(target.pid))
        #expect(threads.count == 36)
        let tmux = try TmuxSession(width: 120, height: 40, command: lwpscope, arguments: [String(target.pid)])
        let screen = try step(tmux, "2 Threads 36")
        // A thread row is its tid followed by its name, as the table writes them.
        let shown = threads.filter { thread in
            screen.contains { $0.range(of: "\\b\(thread.id) +\(NSRegularExpression.escapedPattern(for: thread.name))\\b",
                                       options: .regularExpression) != nil }
        }
        #expect(shown.count >= 30, "only \(shown.count) thread rows:\n\(screen.joined(separator: "\n"))")
        try tmux.send("q")
        #expect(tmux.exitStatus(timeout: 30) == 0)
        #expect(TaskStates.untraced(target.pid), "\(TaskStates.of(target.pid))")
    }

    /// Every frame `dump` gives a source line keeps it on screen at 80x24,
    /// for the thread with the deepest stack of fixture-lines.
    @Test func everyBacktraceLineKeepsItsLineNumberAt80x24() throws {
        guard TmuxSession.isAvailable else { Issue.record("tmux missing"); return }
        let target = try ChildProcess(path: BuiltProducts.path("fixture-lines"), arguments: ["--parked", "2"])
        try target.waitForLine(startingWith: "ready")
        let deep = try #require(ProcFS().threads(target.pid)?.first { $0.name == "deep" }?.id)
        let dump = try run(lwpscope, ["dump", String(target.pid)])
        #expect(dump.exitCode == 0, "\(dump.stderr)")
        let expected = Self.sourceLines(ofThread: deep, inDump: dump.stdout)
        #expect(expected.count >= 5, "dump gave too few source lines for deep:\n\(dump.stdout)")

        let tmux = try TmuxSession(width: 80, height: 24, command: lwpscope, arguments: [String(target.pid)])
        try step(tmux, "2 Threads")
        try tmux.send("/")
        try tmux.send("deep", literal: true)
        try tmux.send("Enter")
        try step(tmux, "Backtrace \(deep) deep")
        try tmux.send("3")
        try tmux.send("Home")
        // Walk down every frame, waiting each time until the pane shows the
        // frame the cursor is on (a busy machine redraws late); each frame's
        // line as the pane last showed it.
        var seen: [Int: String] = [:]
        let last = expected.keys.max() ?? 0
        for cursor in 0...last {
            let screen = try tmux.waitUntil(timeout: 20) { screen in
                screen.contains { Self.backtraceLine($0)?.0 == cursor }
            }
            for line in screen {
                guard let (index, text) = Self.backtraceLine(line) else { continue }
                seen[index] = text
            }
            try tmux.send("Down")
        }
        for (index, position) in expected.sorted(by: { $0.key < $1.key }) {
            let line = try #require(seen[index], "frame #\(index) never shown; saw \(seen)")
            #expect(line.contains(position), "frame #\(index) lost \(position): \(line)")
        }
        try tmux.send("q")
        #expect(tmux.exitStatus(timeout: 30) == 0)
        #expect(TaskStates.untraced(target.pid), "\(TaskStates.of(target.pid))")
    }

    @Test func theHelpsLastLineCanBeReachedAt80x24() throws {
        guard TmuxSession.isAvailable else { Issue.record("tmux missing"); return }
        let target = try startThirtySixThreads()
        let tmux = try TmuxSession(width: 80, height: 24, command: lwpscope, arguments: [String(target.pid)])
        try step(tmux, "2 Threads 36")
        try tmux.send("?")
        let first = try step(tmux, "Help")
        let lastLine = "* shown  T traced  B held at birth"
        #expect(!first.joined().contains(lastLine), "the help fits at 80x24: this test proves nothing")
        try tmux.send("End")
        try step(tmux, lastLine)
        try tmux.send("Escape")
        try tmux.send("q")
        #expect(tmux.exitStatus(timeout: 30) == 0)
        #expect(TaskStates.untraced(target.pid), "\(TaskStates.of(target.pid))")
    }

    @Test func withoutColoursTheSelectedRowIsNotDrawnLikeTheHeader() throws {
        guard TmuxSession.isAvailable else { Issue.record("tmux missing"); return }
        let target = try startThirtySixThreads()
        let tmux = try TmuxSession(width: 120, height: 40, command: lwpscope, arguments: [String(target.pid)],
                                   environment: ["NO_COLOR=1"])
        let screen = try step(tmux, "2 Threads 36")
        let styled = try tmux.captureWithAttributes()
        let headerRow = try #require(screen.firstIndex { $0.contains("TID") && $0.contains("NAME") })
        // Sorted by tid, the cursor starts on the main thread, whose tid is the pid.
        let selectedRow = try #require(screen.firstIndex { $0.contains(" \(target.pid) fixture-threads") })
        let otherRow = try #require(screen.indices.first { $0 > selectedRow && screen[$0].contains(" sleeper ") })
        let header = SGR.attributes(before: "TID", in: styled[headerRow])
        let selected = SGR.attributes(before: "\(target.pid) fixture", in: styled[selectedRow])
        let other = SGR.attributes(before: "sleeper", in: styled[otherRow])
        #expect(selected != other, "the selected row looks like any other: \(selected)")
        #expect(selected != header, "the selected row is drawn like the header: \(selected)")
        try tmux.send("q")
        #expect(tmux.exitStatus(timeout: 30) == 0)
        #expect(TaskStates.untraced(target.pid), "\(TaskStates.of(target.pid))")
    }

    /// `#N  0x... function (module) at /path/file.c:25` lines of one
    /// thread's block in dump's text: frame number to `file.c:25`.
    static func sourceLines(ofThread tid: Int32, inDump text: String) -> [Int: String] {
        var result: [Int: String] = [:]
        var inThread = false
        for line in text.split(separator: "\n").map(String.init) {
            if !line.hasPrefix("#") && !line.hasPrefix(" ") {
                inThread = line.range(of: "\\b\(tid)\\b", options: .regularExpression) != nil
                continue
            }
            guard inThread, let match = line.range(of: "^#[0-9]+ ", options: .regularExpression),
                  let index = Int(line[match].dropFirst().dropLast()),
                  let at = line.range(of: " at ", options: .backwards) else { continue }
            let position = line[at.upperBound...]
            guard let colon = position.lastIndex(of: ":") else { continue }
            let path = position[..<colon], number = position[position.index(after: colon)...]
            result[index] = "\(path.split(separator: "/").last ?? path[...]):\(number)"
        }
        return result
    }

    /// The backtrace pane's text on a screen line (it starts at the left
    /// border at 80x24): its frame number and text.
    static func backtraceLine(_ line: String) -> (Int, String)? {
        guard line.hasPrefix("│#") else { return nil }
        let text = line.dropFirst().prefix { $0 != "│" }
        guard let match = text.range(of: "^#[0-9]+", options: .regularExpression),
              let index = Int(text[match].dropFirst()) else { return nil }
        return (index, String(text))
    }

    @discardableResult
    func step(_ tmux: TmuxSession, _ text: String) throws -> [String] {
        do { return try tmux.waitFor(text) } catch {
            Issue.record("the screen never showed \(text)")
            throw error
        }
    }
}

/// The attributes (bold, reverse, ...) an SGR-escaped line has in effect
/// where `text` starts, as `tmux capture-pane -e` writes them.
enum SGR {
    static func attributes(before text: String, in line: String) -> Set<Int> {
        guard let end = line.range(of: text)?.lowerBound else { return [-1] }
        var active = Set<Int>()
        var rest = line[..<end]
        while let start = rest.range(of: "\u{1B}[") {
            let body = rest[start.upperBound...]
            guard let final = body.firstIndex(where: { $0.isLetter }) else { break }
            if body[final] == "m" {
                let codes = body[..<final].split(separator: ";", omittingEmptySubsequences: false).map { Int($0) ?? 0 }
                for code in codes.isEmpty ? [0] : codes {
                    switch code {
                    case 0: active = []
                    case 22: active.subtract([1, 2])
                    case 23, 24, 25, 27, 28, 29: active.remove(code - 20)
                    case 1...9: active.insert(code)
                    default: break
                    }
                }
            }
            rest = body[body.index(after: final)...]
        }
        return active
    }
}
