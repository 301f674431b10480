import Foundation
import Testing

/// Runs each test of a suite on a thread of its own instead of Swift's
/// cooperative pool. The pool has one thread per core (2 here), and the
/// synchronous tests that wait on a screen, a child's line or a sleep hold
/// those threads for seconds at a time. An async test that had stopped a
/// fixture then could not resume until one was free: in full runs its
/// fixture sat in tracing stop for minutes and the suite's time limits fell.
/// Async tests that trace take this trait, so their every resumption has a
/// thread; the synchronous ones stay on the pool, which bounds how many run
/// at once, as before.
///
/// One thread for the whole test, not one per job: fixtures ask for
/// PR_SET_PDEATHSIG, which fires when the thread that spawned them exits.
public struct OwnThreadsTrait: SuiteTrait, TestTrait, TestScoping {
    public var isRecursive: Bool { true }

    public func provideScope(for test: Test, testCase: Test.Case?,
                             performing function: @Sendable () async throws -> Void) async throws {
        // A suite's own scope has nothing to run; its tests get theirs.
        guard testCase != nil else { return try await function() }
        let executor = DedicatedThreadExecutor()
        defer { executor.finish() }
        try await withTaskExecutorPreference(executor) { try await function() }
    }
}

extension Trait where Self == OwnThreadsTrait {
    /// Each test on a thread of its own: see `OwnThreadsTrait`.
    public static var ownThreads: Self { OwnThreadsTrait() }
}

/// A task executor with one thread that runs its jobs in order, and ends
/// once `finish()` was called and nothing is left to run.
public final class DedicatedThreadExecutor: TaskExecutor, @unchecked Sendable {
    /// The name its thread carries (comm), so a test can tell where it runs.
    public static let threadName = "own-test-thread"

    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var finishing = false

    public init() {
        let thread = Thread { [self] in
            // Not Thread.current.name: Foundation drops it when the new
            // thread runs before start() has stored its pthread handle, and
            // the thread then keeps its creator's name (seen under load).
            // (pthread_setname_np needs _GNU_SOURCE: write what it writes.)
            try? Self.threadName.write(toFile: "/proc/thread-self/comm", atomically: false, encoding: .utf8)
            runJobs()
        }
        thread.stackSize = 8 << 20
        thread.start()
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.withLock {
            jobs.append(job)
            condition.signal()
        }
    }

    public func finish() {
        condition.withLock {
            finishing = true
            condition.signal()
        }
    }

    private func runJobs() {
        while true {
            let next: UnownedJob? = condition.withLock {
                while jobs.isEmpty && !finishing { condition.wait() }
                return jobs.isEmpty ? nil : jobs.removeFirst()
            }
            guard let next else { return }
            next.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
