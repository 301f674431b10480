import CPtrace
#if canImport(Glibc)
import Glibc
#endif

/// A serial executor that runs every job on one OS thread of its own.
///
/// ptrace only answers the thread that attached: any other thread gets ESRCH.
/// A default actor hops between pool threads, so the engine actor runs here
/// instead. Between jobs, while tracees run, the thread wakes every few
/// milliseconds to collect their ptrace events (`idleHandler`), because a
/// tracee in signal-delivery-stop waits for us to pass its signal on.
final class DedicatedThreadExecutor: SerialExecutor, @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    private var condition = pthread_cond_t()
    private var jobs: [UnownedJob] = []
    private var jobsHead = 0
    private var threadRunning = false
    private var stopRequested = false
    /// Kernel tid of the executor thread, for isolation checks.
    private var threadID: pid_t = 0
    private let name: String

    /// Called on the executor thread when no job is queued; returns whether it
    /// found work. The wait between calls starts at 1 ms and doubles up to
    /// 16 ms while nothing happens, so an idle engine costs next to nothing
    /// and a busy one answers fast. Only touched on the executor thread.
    var idleHandler: (() -> Bool)?
    private var idleInterval: Int = 1_000_000
    private static let idleIntervalRange = 1_000_000...16_000_000

    init(name: String) {
        self.name = name
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(&condition, &attributes)
        pthread_condattr_destroy(&attributes)
        pthread_mutex_init(&mutex, nil)
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        pthread_mutex_lock(&mutex)
        jobs.append(unowned)
        if !threadRunning { startThread() }
        pthread_cond_signal(&condition)
        pthread_mutex_unlock(&mutex)
    }

    func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }

    func checkIsolated() {
        precondition(isCurrentThread, "engine code ran off the engine thread")
    }

    var isCurrentThread: Bool { lwp_gettid() == threadID }

    /// The kernel tid of the executor thread, or 0 while it is not running.
    var runningThreadID: pid_t {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return threadRunning ? threadID : 0
    }

    /// Lets the thread end once the queued jobs have run. A later job starts
    /// a new thread, so nothing enqueued is ever lost.
    func stopWhenIdle() {
        pthread_mutex_lock(&mutex)
        stopRequested = true
        pthread_cond_signal(&condition)
        pthread_mutex_unlock(&mutex)
    }

    /// Called with the mutex held.
    private func startThread() {
        threadRunning = true
        stopRequested = false
        let context = Unmanaged.passRetained(self).toOpaque()
        var thread = pthread_t()
        let rc = pthread_create(&thread, nil, { context in
            let executor = Unmanaged<DedicatedThreadExecutor>.fromOpaque(context!).takeRetainedValue()
            executor.runLoop()
            return nil
        }, context)
        precondition(rc == 0, "cannot start the engine thread: \(String(cString: strerror(rc)))")
        pthread_detach(thread)
    }

    private func runLoop() {
        pthread_mutex_lock(&mutex)
        threadID = lwp_gettid()
        pthread_mutex_unlock(&mutex)
        name.withCString { lwp_prepare_engine_thread($0) }
        pthread_mutex_lock(&mutex)
        var nextIdle = Self.monotonicNanoseconds()
        while true {
            // Events are collected on time even while jobs keep coming (a
            // caller polling the engine must not starve the tracees' stops).
            if let idleHandler, Self.monotonicNanoseconds() >= nextIdle {
                pthread_mutex_unlock(&mutex)
                let busy = idleHandler()
                idleInterval = busy ? Self.idleIntervalRange.lowerBound
                    : min(idleInterval * 2, Self.idleIntervalRange.upperBound)
                nextIdle = Self.monotonicNanoseconds() + idleInterval
                pthread_mutex_lock(&mutex)
                continue
            }
            if jobsHead < jobs.count {
                let job = jobs[jobsHead]
                jobsHead += 1
                if jobsHead == jobs.count { jobs.removeAll(keepingCapacity: true); jobsHead = 0 }
                pthread_mutex_unlock(&mutex)
                job.runSynchronously(on: asUnownedSerialExecutor())
                pthread_mutex_lock(&mutex)
                continue
            }
            if stopRequested { break }
            if idleHandler != nil {
                var deadline = timespec(tv_sec: nextIdle / 1_000_000_000, tv_nsec: nextIdle % 1_000_000_000)
                pthread_cond_timedwait(&condition, &mutex, &deadline)
            } else {
                pthread_cond_wait(&condition, &mutex)
                nextIdle = Self.monotonicNanoseconds()
            }
        }
        threadRunning = false
        threadID = 0
        pthread_mutex_unlock(&mutex)
    }

    private static func monotonicNanoseconds() -> Int {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return now.tv_sec * 1_000_000_000 + now.tv_nsec
    }
}
