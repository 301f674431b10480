import Foundation
import Testing
import TestSupport

/// `.ownThreads`: an async test resumes on a thread of its own, never on
/// the cooperative pool, which the synchronous tests of a full run block.
@Suite(.ownThreads) struct OwnThreadsTests {
    @Test func anAsyncTestResumesOnItsOwnThreadAfterEverySuspension() async {
        #expect(currentThreadName() == DedicatedThreadExecutor.threadName)
        for _ in 0..<3 {
            // A real suspension (a timer, then an actor's executor), as an engine call is.
            try? await Task.sleep(nanoseconds: 1_000_000)
            _ = await Hopper().hop()
            #expect(currentThreadName() == DedicatedThreadExecutor.threadName)
        }
    }

    /// Without the trait, the same suspension comes back on the pool: the
    /// check above can fail.
    @Test func withoutItATestResumesOnThePool() async {
        await Task.detached {
            try? await Task.sleep(nanoseconds: 1_000_000)
            #expect(currentThreadName() != DedicatedThreadExecutor.threadName)
        }.value
    }
}

/// The kernel's name for the calling thread (what `ps -L` shows).
private func currentThreadName() -> String {
    let text = (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? ""
    return text.trimmingCharacters(in: .whitespacesAndNewlines)
}

private actor Hopper {
    var count = 0
    func hop() -> Int {
        count += 1
        return count
    }
}
