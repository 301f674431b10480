// Knowing that the threads are really parked before printing "ready", as
// Tests/Fixtures/Shared/parked_threads.h does for the C fixtures: each thread
// announces what it parks in right before it does; the main thread polls
// /proc/self/task/TID/syscall until each is blocked in that syscall, and a
// spinner until it is runnable and has spent CPU time in its loop.
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

enum ParkKind {
    case sleep, read, spin

    /// x86_64 syscall numbers: usleep ends in clock_nanosleep (230) or
    /// nanosleep (35); read is 0.
    var syscalls: Set<Int> {
        switch self {
        case .sleep: [230, 35]
        case .read: [0]
        case .spin: []
        }
    }
}

struct ParkedThread: Sendable {
    var tid: Int32
    var kind: ParkKind
    var cpuClock: clockid_t
    var cpuAtAnnounce: Int64
}

let announcedThreads = Mutex<[ParkedThread]>([])

/// CPU time a spinner must have spent since announcing: only its loop can have.
let spinProofNanoseconds: Int64 = 200_000

func cpuNanoseconds(_ clock: clockid_t) -> Int64 {
    var time = timespec()
    guard clock_gettime(clock, &time) == 0 else { return -1 }
    return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
}

/// The calling thread's kernel id, from /proc/thread-self ("PID/task/TID").
func currentThreadID() -> Int32 {
    var buffer = [CChar](repeating: 0, count: 64)
    let n = readlink("/proc/thread-self", &buffer, buffer.count - 1)
    guard n > 0 else { return -1 }
    let link = String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    return Int32(link.split(separator: "/").last ?? "") ?? -1
}

/// The calling thread is about to park in `kind`.
func announceParking(_ kind: ParkKind) {
    var clock = clockid_t()
    pthread_getcpuclockid(pthread_self(), &clock)
    let thread = ParkedThread(tid: currentThreadID(), kind: kind, cpuClock: clock, cpuAtAnnounce: cpuNanoseconds(clock))
    announcedThreads.withLock { $0.append(thread) }
}

/// The first field of /proc/self/task/TID/syscall: a syscall number, or nil
/// for "running" (or unreadable).
func currentSyscall(_ tid: Int32) -> Int? {
    let fd = open("/proc/self/task/\(tid)/syscall", O_RDONLY)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var bytes = [UInt8](repeating: 0, count: 64)
    let n = read(fd, &bytes, bytes.count)
    guard n > 0 else { return nil }
    return Int(String(decoding: bytes[..<n], as: UTF8.self).split(separator: " ").first ?? "")
}

func isParked(_ thread: ParkedThread) -> Bool {
    let syscall = currentSyscall(thread.tid)
    if thread.kind == .spin {
        return syscall == nil && cpuNanoseconds(thread.cpuClock) - thread.cpuAtAnnounce >= spinProofNanoseconds
    }
    return syscall.map { thread.kind.syscalls.contains($0) } ?? false
}

/// Polls until `expected` threads have announced and each was seen parked;
/// exits the fixture after `timeout` seconds.
func waitUntilParked(expected: Int, timeout: Int) {
    var seen = Set<Int32>()
    var start = timespec()
    clock_gettime(CLOCK_MONOTONIC, &start)
    while true {
        let announced = announcedThreads.withLock { $0 }
        for thread in announced where !seen.contains(thread.tid) && isParked(thread) { seen.insert(thread.tid) }
        if seen.count >= expected { return }
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        if now.tv_sec - start.tv_sec > timeout {
            let waiting = announced.filter { !seen.contains($0.tid) }.map { "\($0.tid)" }
            let message = "fixture-swift: \(expected - seen.count) threads not parked after \(timeout) s (announced, waiting: \(waiting))\n"
            _ = message.utf8CString.withUnsafeBufferPointer { write(2, $0.baseAddress, $0.count - 1) }
            exit(1)
        }
        usleep(1000)
    }
}
