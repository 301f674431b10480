import Backtraces
import DWARF
import InspectorFeed

/// `dump --json`, streamed: `{"command", "pid", "stoppedMicroseconds",
/// "threads": [{"error"?, "frames": [{"arguments"?, "file", "function", "index", "inline",
/// "jit"?, "line", "module", "offset", "pc", "signalTrampoline"?}], "name", "pthread"?, "state",
/// "stopReason"?, "tid"}]}`, keys sorted; "pthread" is the thread pointer in hex (glibc's pthread_t).
///
/// With `--source`, each frame with a line has "source" (the line's text) or
/// "sourceNotFound" (the paths looked at).
///
/// `dump --group --json` has `"groups": [{"count", "error"?, "frames",
/// "stopReason"?, "threads": [{"name", "state", "tid"}]}]` in place of
/// "threads", largest group first, and "threadCount".
enum DumpJSON {
    static func write(_ process: ProcessBacktraces, sources: SourceFiles? = nil) {
        var json = JSONStreamWriter()
        json.beginObject()
        json.field("command", process.command)
        json.field("pid", process.pid)
        json.field("stoppedMicroseconds", process.stoppedMicroseconds)
        json.beginArray(key: "threads")
        for thread in process.threads {
            json.beginObject()
            if let error = thread.error { json.field("error", error) }
            writeFrames(thread.frames, sources: sources, into: &json)
            json.field("name", thread.name)
            if let pointer = thread.threadPointer { json.field("pthread", hex: pointer) }
            json.field("state", String(thread.state.letter))
            if !thread.stopReason.isEmpty { json.field("stopReason", thread.stopReason) }
            json.field("tid", thread.tid)
            json.endObject()
        }
        json.endArray()
        json.endObject()
        json.finish()
    }

    static func writeGroups(_ process: ProcessBacktraces, sources: SourceFiles? = nil) {
        var json = JSONStreamWriter()
        json.beginObject()
        json.field("command", process.command)
        json.beginArray(key: "groups")
        for group in StackGroups.group(process.threads) {
            let thread = group.representative
            json.beginObject()
            json.field("count", group.count)
            if let error = thread.error { json.field("error", error) }
            writeFrames(thread.frames, sources: sources, into: &json)
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
    private static func writeArguments(_ arguments: [FrameArgument], key: StaticString = "arguments",
                                       into json: inout JSONStreamWriter) {
        json.beginArray(key: key)
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

    private static func writeFrames(_ frames: [SymbolizedFrame], sources: SourceFiles?, into json: inout JSONStreamWriter) {
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
            if let locals = frame.locals { writeArguments(locals, key: "locals", into: &json) }
            json.field("module", frame.module)
            json.field("offset", frame.offset)
            json.field("pc", hex: frame.pc)
            if frame.isSignalTrampoline { json.field("signalTrampoline", true) }
            if let sources, let file = frame.file, let line = frame.line {
                switch sources.lookup(file) {
                case .found(_, let lines): json.field("source", line >= 1 && line <= lines.count ? lines[line - 1] : nil)
                case .notFound(let tried): json.field("sourceNotFound", strings: tried)
                }
            }
            json.endObject()
        }
        json.endArray()
    }
}
