import Foundation
import ProcFS
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Every way out of a watching lwpscope leaves the target running and untraced.
@Suite(.timeLimit(.minutes(8))) struct SignalTests {
    let lwpscope = BuiltProducts.path("lwpscope")

    init() {
        // SIGQUIT's default action dumps core; none wanted in the work tree.
        var noCore = rlimit(rlim_cur: 0, rlim_max: rlim_t.max)
        getrlimit(Int32(RLIMIT_CORE.rawValue), &noCore)
        noCore.rlim_cur = 0
        setrlimit(Int32(RLIMIT_CORE.rawValue), &noCore)
    }

    @Test(arguments: [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGKILL])
    func signalWhileWatchingDetaches(signal: Int32) throws {
        let target = try ChildProcess(path: BuiltProducts.path("fixture-threads-nofp"))
        try target.waitForLine(startingWith: "ready")
        let watcher = try ChildProcess(path: lwpscope, arguments: ["threads", String(target.pid), "--watch", "--interval", "0.05"])
        try watcher.waitForLine(startingWith: "pid \(target.pid) ")
        try watcher.waitForLine(startingWith: "pid \(target.pid) ")
        let traced = TaskStates.of(target.pid)
        #expect(traced.allSatisfy { ProcFS().status($0.tracerID)?.threadGroupID == watcher.pid }, "\(traced)")

        kill(watcher.pid, signal)
        let status = try #require(watcher.waitForExit(timeout: 10), "lwpscope did not exit on signal \(signal)")
        // Killed by the same signal: the handler detached, then re-raised it.
        #expect(status & 0x7f == signal, "wait status \(status)")
        #expect(TaskStates.untraced(target.pid), "\(TaskStates.of(target.pid))")
        #expect(TaskStates.of(target.pid).allSatisfy { $0.state != .stopped && $0.state != .tracingStop })
    }

    @Test func targetExitingWhileWatchedIsOneClearLine() throws {
        let target = try ChildProcess(path: BuiltProducts.path("fixture-threads-nofp"))
        try target.waitForLine(startingWith: "ready")
        let watcher = try ChildProcess(path: lwpscope, arguments: ["threads", String(target.pid), "--watch", "--interval", "0.05"])
        try watcher.waitForLine(startingWith: "pid \(target.pid) ")
        kill(target.pid, SIGTERM)
        let status = try #require(watcher.waitForExit(timeout: 10))
        #expect(status >> 8 == 1 && status & 0x7f == 0, "wait status \(status)")
        let stderr = watcher.standardError()
        #expect(stderr.contains("pid \(target.pid) was killed by signal 15 (SIGTERM)"), "\(stderr)")
        #expect(stderr.split(separator: "\n").count == 1)
    }
}
