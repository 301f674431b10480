// A Swift program with named threads parked in known Swift functions, for
// backtrace tests, built with -O. Threads (4): main, "spinner" in
// spinOnHold(), "sleeper" in usleep via sleepInUsleep(), "reader" in read via
// blockInRead(). Prints "ready" once all are parked, each in its blocking call
// or spinning in its loop (ParkedThreads.swift); exits when its parent does.
import Foundation
#if canImport(Glibc)
import Glibc
#endif

let parent = getppid()
guard pipe(&pipeFDs) == 0 else { exit(1) }

/// Names the calling thread. Glibc's module does not export
/// pthread_setname_np (it needs _GNU_SOURCE), so write what it would write.
func nameSelf(_ name: String) {
    let fd = open("/proc/thread-self/comm", O_WRONLY)
    guard fd >= 0 else { return }
    _ = name.utf8CString.withUnsafeBufferPointer { write(fd, $0.baseAddress, $0.count - 1) }
    close(fd)
}

/// Starts a pthread named `name` that runs `body`; pthreads rather than
/// Foundation's Thread, so the stacks hold nothing but our frames and libc's.
func startThread(_ name: String, _ body: @escaping @Sendable () -> Void) {
    final class Start: @unchecked Sendable {
        let name: String
        let body: @Sendable () -> Void
        init(name: String, body: @escaping @Sendable () -> Void) { self.name = name; self.body = body }
    }
    let start = Unmanaged.passRetained(Start(name: name, body: body)).toOpaque()
    var thread = pthread_t()
    let rc = pthread_create(&thread, nil, { raw in
        let start = Unmanaged<Start>.fromOpaque(raw!).takeRetainedValue()
        nameSelf(start.name)
        start.body()
        return nil
    }, start)
    guard rc == 0 else { fatalError("pthread_create: \(rc)") }
    pthread_detach(thread)
}

startThread("spinner") { spinOnHold() }
startThread("sleeper") { sleepInUsleep() }
startThread("reader") { blockInRead() }

waitUntilParked(expected: 3, timeout: 30)
// Straight to the descriptor: nothing to flush, and no shared FILE* to touch.
_ = "ready\n".utf8CString.withUnsafeBufferPointer { write(1, $0.baseAddress, $0.count - 1) }

// Exit with our parent so no fixture outlives the test run.
while getppid() == parent { usleep(100_000) }
exit(0)
