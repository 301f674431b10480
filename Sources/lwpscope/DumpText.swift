import Backtraces
import InspectorFeed

/// The text form of `dump`, like eu-stack and gdb:
///
///     Thread 0x7f0e1c7ff6c0 (LWP 1234) "worker-1" S
///     #0  0x00007f0e1c8e5545 clock_nanosleep+0x65 (/usr/lib/x86_64-linux-gnu/libc.so.6)
///     #1  0x000055d4c5a021a9 inline parse_line (/usr/bin/server) at /src/parse.h:31
///     #2  0x000055d4c5a021a9 worker_inner+0x19 (/usr/bin/server) at /src/worker.c:88
///
/// An inlined function shares the pc of the frame it was inlined into, as in gdb.
enum DumpText {
    /// Prints thread by thread, so a dump of thousands of threads is never
    /// held whole in memory.
    static func write(_ process: ProcessBacktraces, verbose: Bool = false, sources: SourceFiles? = nil) {
        print("PID \(process.pid) (\(process.command)): \(process.threads.count) threads, stopped \(process.stoppedMicroseconds) µs")
        for thread in process.threads {
            print(render(thread, verbose: verbose, sources: sources), terminator: "")
        }
    }

    /// `dump --group`: one backtrace per set of threads with the same stack,
    /// largest set first.
    static func writeGroups(_ process: ProcessBacktraces, verbose: Bool = false, sources: SourceFiles? = nil) {
        let groups = StackGroups.group(process.threads)
        print("PID \(process.pid) (\(process.command)): \(process.threads.count) threads in \(groups.count) groups, stopped \(process.stoppedMicroseconds) µs")
        for group in groups {
            var out = "\n\(group.count) \(group.count == 1 ? "thread" : "threads"): \(summary(of: group))\n"
            out += frames(of: group.representative, verbose: verbose, sources: sources)
            print(out, terminator: "")
        }
    }

    static func render(_ thread: ThreadBacktrace, verbose: Bool, sources: SourceFiles? = nil) -> String {
        "\n\(header(thread))\n" + frames(of: thread, verbose: verbose, sources: sources)
    }

    /// gdb's thread header (its pthread handle, LWP and name) and the state;
    /// `LWP N "name"` alone where there is no thread pointer to show.
    static func header(_ thread: ThreadBacktrace) -> String {
        let handle = thread.threadPointer.map { "Thread 0x\(String($0, radix: 16)) (LWP \(thread.tid))" } ?? "LWP \(thread.tid)"
        return "\(handle) \"\(thread.name)\" \(thread.state.letter)"
    }

    private static func frames(of thread: ThreadBacktrace, verbose: Bool, sources: SourceFiles?) -> String {
        var out = ""
        if let error = thread.error {
            for frame in thread.frames { out += line(frame) + "\n" + sourceLine(frame, sources) + localLines(frame) }
            return out + "    (no backtrace: \(error))\n"
        }
        for frame in thread.frames {
            out += line(frame) + (verbose ? " [\(frame.method)]" : "") + "\n" + sourceLine(frame, sources) + localLines(frame)
        }
        if !thread.stopReason.isEmpty, verbose || thread.stopReason != "outermost frame" {
            out += "    (unwinding stopped: \(thread.stopReason))\n"
        }
        return out
    }

    /// The frame's line of source as gdb's `frame` prints it, `38\t    while (hold)`,
    /// or `38\tPATH: No such file or directory.`; nothing without a line.
    static func sourceLine(_ frame: SymbolizedFrame, _ sources: SourceFiles?) -> String {
        guard let sources, let file = frame.file, let number = frame.line else { return "" }
        switch sources.lookup(file) {
        case .found(_, let lines) where number >= 1 && number <= lines.count: return "\(number)\t\(lines[number - 1])\n"
        case .found(let path, let lines): return "Line number \(number) out of range; \"\(path)\" has \(lines.count) lines.\n"
        case .notFound: return "\(number)\t\(file): No such file or directory.\n"
        }
    }

    /// `dump --locals`: each variable under the frame as gdb's `bt full`
    /// prints it, or its `No locals.`; nothing when they were not read.
    static func localLines(_ frame: SymbolizedFrame) -> String {
        guard let locals = frame.locals else { return "" }
        if locals.isEmpty { return "No locals.\n" }
        return locals.map { "        \($0.name) = \($0.value)\n" }.joined()
    }

    /// `TIDs 12-15, 19; names worker-1, worker-2, … (4 names); states S 3, R 1`
    static func summary(of group: StackGroup) -> String {
        let tids = group.threads.map(\.tid)
        var names: [String] = []
        for name in group.threads.map(\.name) where !names.contains(name) { names.append(name) }
        let shownNames = names.prefix(4).joined(separator: ", ") + (names.count > 4 ? ", … (\(names.count) names)" : "")
        var states: [Character: Int] = [:]
        for thread in group.threads { states[thread.state.letter, default: 0] += 1 }
        let shownStates = states.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        return "\(tids.count == 1 ? "TID" : "TIDs") \(StackGroups.describe(tids: tids)); \(names.count == 1 ? "name" : "names") \(shownNames); \(states.count == 1 ? "state" : "states") \(shownStates)"
    }

    /// In `FrameText`'s words with whole paths; `#N` in a column of four
    /// and a 16-digit pc, as gdb prints them.
    static func line(_ frame: SymbolizedFrame) -> String {
        frame.text.text(indexColumns: 4, pcDigits: 16, paths: .full)
    }
}
