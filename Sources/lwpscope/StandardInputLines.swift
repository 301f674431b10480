/// Standard input's lines as they come, read on a thread of its own (a
/// blocking read must not hold a thread of the cooperative pool); the
/// stream ends at EOF.
enum StandardInputLines {
    static func stream() -> AsyncStream<String> {
        AsyncStream { continuation in
            DedicatedThread.start(name: "lwpscope-stdin") {
                while let line = readLine(strippingNewline: true) { continuation.yield(line) }
                continuation.finish()
            }
        }
    }
}
