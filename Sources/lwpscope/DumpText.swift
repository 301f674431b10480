import Backtraces

/// The text form of `dump`, like eu-stack and gdb:
///
///     TID 1234 worker-1 S
///     #0  0x00007f0e1c8e5545 clock_nanosleep+0x65 (/usr/lib/x86_64-linux-gnu/libc.so.6)
///     #1  0x000055d4c5a021a9 worker_inner+0x19 (/usr/bin/server)
enum DumpText {
    /// Prints thread by thread, so a dump of thousands of threads is never
    /// held whole in memory.
    static func write(_ process: ProcessBacktraces, verbose: Bool = false) {
        print("PID \(process.pid) (\(process.command)): \(process.threads.count) threads, stopped \(process.stoppedMicroseconds) µs")
        for thread in process.threads {
            print(render(thread, verbose: verbose), terminator: "")
        }
    }

    static func render(_ thread: ThreadBacktrace, verbose: Bool) -> String {
        var out = "\nTID \(thread.tid) \(thread.name) \(thread.state.letter)\n"
        if let error = thread.error {
            for frame in thread.frames { out += line(frame) + "\n" }
            return out + "    (no backtrace: \(error))\n"
        }
        for frame in thread.frames {
            out += line(frame) + (verbose ? " [\(frame.method)]" : "") + "\n"
        }
        if !thread.stopReason.isEmpty, verbose || thread.stopReason != "outermost frame" {
            out += "    (unwinding stopped: \(thread.stopReason))\n"
        }
        return out
    }

    static func line(_ frame: SymbolizedFrame) -> String {
        let index = "#\(frame.index)".padding(toLength: 4, withPad: " ", startingAt: 0)
        let pc = "0x" + String(String(frame.pc, radix: 16).reversed()).padding(toLength: 16, withPad: "0", startingAt: 0).reversed()
        let offset = "0x" + String(frame.offset, radix: 16)
        switch (frame.function, frame.module) {
        case let (function?, module?): return "\(index)\(pc) \(function)+\(offset) (\(module))"
        case let (nil, module?): return "\(index)\(pc) \(basename(module))+\(offset) (\(module))"
        default: return "\(index)\(pc) ??"
        }
    }

    static func basename(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }
}
