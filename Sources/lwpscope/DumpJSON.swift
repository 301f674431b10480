import Backtraces
import DWARF

/// `dump --json`, streamed: `{"command", "pid", "stoppedMicroseconds",
/// "threads": [{"error"?, "frames": [{"arguments"?, "file", "function", "index", "inline",
/// "jit"?, "line", "module", "offset", "pc", "signalTrampoline"?}], "name", "state", "stopReason"?,
/// "tid"}]}`, keys sorted.
///
/// `dump --group --json` has `"groups": [{"count", "error"?, "frames",
/// "stopReason"?, "threads": [{"name", "state", "tid"}]}]` in place of
/// "threads", largest group first, and "threadCount".
enum DumpJSON {
    static func write(_ process: ProcessBacktraces) {
        var json = JSONStreamWriter()
        json.beginObject()
        json.field("command", process.command)
        json.field("pid", process.pid)
        json.field("stoppedMicroseconds", process.stoppedMicroseconds)
        json.beginArray(key: "threads")
        for thread in process.threads {
            json.beginObject()
            if let error = thread.error { json.field("error", error) }
            writeFrames(thread.frames, into: &json)
            json.field("name", thread.name)
            json.field("state", String(thread.state.letter))
            if !thread.stopReason.isEmpty { json.field("stopReason", thread.stopReason) }
            json.field("tid", thread.tid)
            json.endObject()
        }
        json.endArray()
        json.endObject()
        json.finish()
    }

    static func writeGroups(_ process: ProcessBacktraces) {
        var json = JSONStreamWriter()
        json.beginObject()
        json.field("command", process.command)
        json.beginArray(key: "groups")
        for group in StackGroups.group(process.threads) {
            let thread = group.representative
            json.beginObject()
            json.field("count", group.count)
            if let error = thread.error { json.field("error", error) }
            writeFrames(thread.frames, into: &json)
            if !thread.stopReason.isEmpty { json.field("stopReason", thread.stopReason) }
            json.beginArray(key: "threads")
            for member in group.threads {
                json.beginObject()
                json.field("name", member.name)
                json.field("state", String(member.state.letter))
                json.field("tid", member.tid)
                json.endObject()
            }
            json.endArray()
            json.endObject()
        }
        json.endArray()
        json.field("pid", process.pid)
        json.field("stoppedMicroseconds", process.stoppedMicroseconds)
        json.field("threadCount", process.threads.count)
        json.endObject()
        json.finish()
    }

    /// `"arguments": [{"entryValue"?, "name", "type", "value"}]`: entryValue
    /// is gdb's `name@entry`, when the caller's call site gives it.
    private static func writeArguments(_ arguments: [FrameArgument], into json: inout JSONStreamWriter) {
        json.beginArray(key: "arguments")
        for argument in arguments {
            json.beginObject()
            if let entry = argument.entryValue { json.field("entryValue", entry) }
            json.field("name", argument.name)
            json.field("type", argument.type)
            json.field("value", argument.value)
            json.endObject()
        }
        json.endArray()
    }

    private static func writeFrames(_ frames: [SymbolizedFrame], into json: inout JSONStreamWriter) {
        json.beginArray(key: "frames")
        for frame in frames {
            json.beginObject()
            if let arguments = frame.arguments { writeArguments(arguments, into: &json) }
            json.field("file", frame.file)
            json.field("function", frame.function)
            json.field("index", frame.index)
            json.field("inline", frame.isInline)
            if frame.isJIT { json.field("jit", true) }
            json.field("line", frame.line)
            json.field("module", frame.module)
            json.field("offset", frame.offset)
            json.field("pc", hex: frame.pc)
            if frame.isSignalTrampoline { json.field("signalTrampoline", true) }
            json.endObject()
        }
        json.endArray()
    }
}
