// A test helper: attaches to PID through the engine, stops every thread, says
// "stopped" and then waits with the target stopped until it is killed. Tests
// SIGKILL it to prove the target keeps running when lwpscope dies mid-attach.
import Engine
#if canImport(Glibc)
import Glibc
#endif

/// Unbuffered, so the test sees each line as soon as it is said.
func say(_ line: String) {
    var text = line + "\n"
    text.withUTF8 { _ = write(1, $0.baseAddress, $0.count) }
}

guard CommandLine.arguments.count == 2, let pid = Int32(CommandLine.arguments[1]) else {
    say("usage: engine-probe PID")
    exit(2)
}
let engine = TraceEngine()
do {
    try await engine.attach(pid)
    try await engine.withAllThreadsStopped(pid) { stopped in
        say("stopped \(stopped.threads.count)")
        while true { sleep(60) }
    }
} catch {
    say("error: \(error)")
    exit(1)
}
