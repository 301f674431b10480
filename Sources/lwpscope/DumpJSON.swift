import Backtraces

/// `dump --json`, streamed: `{"command", "pid", "stoppedMicroseconds",
/// "threads": [{"error"?, "frames": [{"function", "index", "module",
/// "offset", "pc"}], "name", "state", "stopReason"?, "tid"}]}`, keys sorted.
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
            json.beginArray(key: "frames")
            for frame in thread.frames {
                json.beginObject()
                json.field("function", frame.function)
                json.field("index", frame.index)
                json.field("module", frame.module)
                json.field("offset", frame.offset)
                json.field("pc", hex(frame.pc))
                json.endObject()
            }
            json.endArray()
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
}
