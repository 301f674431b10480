import Foundation
@testable import Guardian
import Synchronization
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// `_guardian --parent-thread`: the thread that started the guardian ends
/// (as lwpscope's engine thread does when it dies) while the link is still
/// open, and the guardian restores at once, without waiting for EOF.
@Suite(.serialized, .timeLimit(.minutes(5))) struct ParentThreadWatchTests {
    @Test func theEndOfTheStartingThreadRestoresWhileTheLinkIsOpen() throws {
        let fixture = try PatchedFixture()
        let range = try fixture.patch(offset: 0, count: 8, fill: 0xCC)
        final class Started: @unchecked Sendable { var link: Result<GuardianLink, GuardianError>?; let done = DispatchSemaphore(value: 0); let end = DispatchSemaphore(value: 0) }
        let started = Started()
        let thread = Thread {
            do throws(GuardianError) {
                started.link = .success(try GuardianLink.start(
                    executable: BuiltProducts.path("lwpscope"), arguments: ["_guardian", "--parent-thread"]))
            } catch {
                started.link = .failure(error)
            }
            started.done.signal()
            started.end.wait()  // the thread ends when the test says so
        }
        thread.start()
        started.done.wait()
        let link = try #require(try started.link?.get())
        defer { finish(link) }
        // Set up and waiting (in poll on its link and its wake pipe).
        #expect(waitUntil(timeout: 30) { (try? String(contentsOfFile: "/proc/\(link.pid)/wchan", encoding: .utf8))?.contains("poll") == true
            || ProcFSLike.inPoll(link.pid) })
        #expect(link.send(fixture.patchRecord(range)))
        usleep(300_000)
        #expect(fixture.bytes(range) == range.patched, "restored while its parent thread lived")
        let start = monotonicSeconds()
        started.end.signal()
        let seconds = fixture.secondsUntil(range, holds: range.original, timeout: 5, from: start)
        #expect(seconds != nil && seconds! < 1, "restored after \(String(describing: seconds)) s with the link still open")
    }
}

/// Whether any thread of `pid` sits in poll (syscall 7).
enum ProcFSLike {
    static func inPoll(_ pid: Int32) -> Bool {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        return tasks.contains { tid in
            (try? String(contentsOfFile: "/proc/\(pid)/task/\(tid)/syscall", encoding: .utf8))?.hasPrefix("7 ") == true
        }
    }
}
