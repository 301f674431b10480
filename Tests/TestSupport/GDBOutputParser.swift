import Foundation

/// Reads the text of gdb 13's `thread apply all bt` into GDBThreads.
///
/// The shapes it knows:
///
///     Thread 3 (Thread 0x7f3c2a1ff6c0 (LWP 1234) "worker-1"):   with libthread_db
///     Thread 2 (LWP 1234 "worker-1"):                           without it
///     Thread 1 (process 1234):                                  single-threaded, no name
///     #0  0x00007f.. in __GI___clock_nanosleep (clock_id=..., ...) at ../sysdeps/...:78
///     #1  0x000055.. in worker_inner () at x.c:12
///     #0  spin_on_hold () at file.c:40                    no address: see below
///     #2  0x00007f.. in start_thread () from /lib/x86_64-linux-gnu/libc.so.6
///     #5  0x0000000000401136 in ?? ()
///     #3  <signal handler called>
///     #4  0x.. in (anonymous namespace)::f<int> (this=...) at a.cpp:9
///     #6  std::thread::_State_impl<...>::_M_run(void) (this=...) at std_thread.h:210
///     Backtrace stopped: previous frame inner to this frame (corrupt stack?)
///
/// Everything else (attach chatter, warnings, the current-frame line gdb
/// prints on attach, "[Inferior 1 (process N) detached]") is ignored.
///
/// Inline frames. gdb prints a frame's address only when the pc is not the
/// first address of the frame's source line (gdb/stack.c, frame_show_address).
/// For a caller frame (N > 0) gdb looks the line up with pc - 1, so the pc is
/// never a line start and the address is always shown, with one exception:
/// when frame N-1 is a function inlined into frame N. Then frame N has no pc
/// of its own (it shares the machine frame of N-1) and gdb shows its position
/// as the call site of the inlined function, without an address. So:
///
///     frame N-1 is inline  ⇔  N > 0, frame N has no address, and neither
///                              frame N nor N-1 is `<signal handler called>`.
///
/// The exception to the exception is the frame interrupted by a signal: gdb
/// looks its line up with the exact pc (nothing called it), so it may lack an
/// address while the trampoline below it is no inline function. Frame 0 may
/// lack an address for the plain reason that the pc starts a line; that alone
/// makes nothing inline.
public enum GDBOutputParser {
    public static func parse(_ text: String) -> [GDBThread] {
        var threads: [GDBThread] = []
        var current: GDBThread?
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = rawLine.trimmingTrailingWhitespace()
            if let header = threadHeader(line) {
                if let done = current { threads.append(finished(done)) }
                current = header
            } else if line.hasPrefix("#"), current != nil, let frame = frame(line) {
                current!.frames.append(frame)
            } else if line.hasPrefix("Backtrace stopped: "), current != nil {
                current!.stopReason = String(line.dropFirst("Backtrace stopped: ".count))
            }
        }
        if let done = current { threads.append(finished(done)) }
        return threads
    }

    /// Marks inline frames, by the rule in the type's comment.
    static func finished(_ thread: GDBThread) -> GDBThread {
        var thread = thread
        for n in thread.frames.indices.dropFirst() {
            let frame = thread.frames[n]
            let below = thread.frames[n - 1]
            if frame.pc == nil, !frame.isSignalTrampoline, !below.isSignalTrampoline {
                thread.frames[n - 1].isInline = true
            }
        }
        return thread
    }

    /// `Thread 3 (Thread 0x7f.. (LWP 1234) "name"):` and its variants.
    static func threadHeader(_ line: Substring) -> GDBThread? {
        guard line.hasPrefix("Thread "), line.hasSuffix("):") else { return nil }
        let afterWord = line.dropFirst("Thread ".count)
        guard let space = afterWord.firstIndex(of: " "), let number = Int(afterWord[..<space]) else { return nil }
        let target = afterWord[space...]
        guard let (tid, rest) = kernelID(in: target) else { return nil }
        var name: String?
        if let open = rest.firstIndex(of: "\""), let close = rest.lastIndex(of: "\""), open < close {
            name = String(rest[rest.index(after: open)..<close])
        }
        var thread = GDBThread(number: number, tid: tid, name: name, frames: [])
        if let handle = target.range(of: "(Thread 0x") {
            thread.pthread = UInt64(target[handle.upperBound...].prefix { $0.isHexDigit }, radix: 16)
        }
        return thread
    }

    /// The id after `LWP ` (or `process ` when gdb knows no threads), and the
    /// text after it.
    private static func kernelID(in text: Substring) -> (Int32, Substring)? {
        for marker in ["LWP ", "process "] {
            guard let range = text.range(of: marker) else { continue }
            let digits = text[range.upperBound...].prefix { $0.isASCII && $0.isNumber }
            if let id = Int32(digits) { return (id, text[digits.endIndex...]) }
        }
        return nil
    }

    /// One `#N  ...` line; nil if it does not look like a frame.
    static func frame(_ line: Substring) -> GDBFrame? {
        var rest = line.dropFirst()
        let digits = rest.prefix { $0.isASCII && $0.isNumber }
        guard let index = Int(digits) else { return nil }
        rest = rest[digits.endIndex...].drop { $0 == " " }

        var pc: UInt64?
        if rest.hasPrefix("0x"), let inRange = rest.range(of: " in ") {
            pc = UInt64(rest[rest.index(rest.startIndex, offsetBy: 2)..<inRange.lowerBound], radix: 16)
            rest = rest[inRange.upperBound...]
        }
        if rest.hasPrefix("<signal handler called>") {
            return GDBFrame(index: index, pc: pc, function: "<signal handler called>", isSignalTrampoline: true)
        }

        var source: String?
        var library: String?
        if let (before, after) = splitTrailing(rest, marker: " at ", where: isSourcePosition) {
            rest = before
            source = String(after)
        } else if let (before, after) = splitTrailing(rest, marker: " from ", where: isLibraryPath) {
            rest = before
            library = String(after)
        }
        let name = dropArgumentList(rest)
        let function: String? = (name.isEmpty || name == "??") ? nil : String(name)
        return GDBFrame(index: index, pc: pc, function: function, library: library, source: source)
    }

    /// Splits at the last `marker` whose tail passes `accept`.
    private static func splitTrailing(
        _ text: Substring, marker: String, where accept: (Substring) -> Bool
    ) -> (Substring, Substring)? {
        var searchEnd = text.endIndex
        while let range = text.range(of: marker, options: .backwards, range: text.startIndex..<searchEnd) {
            let tail = text[range.upperBound...]
            if accept(tail) { return (text[..<range.lowerBound], tail) }
            searchEnd = range.lowerBound
        }
        return nil
    }

    /// `file.c:12`: ends in `:digits`, with no parentheses (which would mean
    /// the marker was inside an argument list).
    private static func isSourcePosition(_ tail: Substring) -> Bool {
        guard let colon = tail.lastIndex(of: ":") else { return false }
        let line = tail[tail.index(after: colon)...]
        return !line.isEmpty && line.allSatisfy { $0.isASCII && $0.isNumber } && !tail.contains("(") && !tail.contains(")")
    }

    private static func isLibraryPath(_ tail: Substring) -> Bool {
        !tail.isEmpty && !tail.contains(" ") && !tail.contains("(") && !tail.contains(")")
    }

    /// `name (args)` → `name`. The argument list is the last balanced
    /// parenthesised group preceded by a space; names themselves may hold
    /// parentheses (`(anonymous namespace)::f`, `operator()`, `f<void ()>`).
    static func dropArgumentList(_ text: Substring) -> Substring {
        let text = text.trimmingTrailingWhitespace()
        guard text.last == ")" else { return text }
        var depth = 0
        var index = text.endIndex
        while index > text.startIndex {
            index = text.index(before: index)
            switch text[index] {
            case ")": depth += 1
            case "(":
                depth -= 1
                if depth == 0 {
                    guard index > text.startIndex, text[text.index(before: index)] == " " else { return text }
                    return text[..<text.index(before: index)].trimmingTrailingWhitespace()
                }
            default: break
            }
        }
        return text
    }
}

extension Substring {
    func trimmingTrailingWhitespace() -> Substring {
        var end = endIndex
        while end > startIndex, self[index(before: end)].isWhitespace { end = index(before: end) }
        return self[..<end]
    }
}
