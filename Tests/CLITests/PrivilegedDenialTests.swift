import Foundation
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Issue 17: root in a user namespace of its own is refused by the kernel
/// for a process outside it. The message names that, and does not tell a
/// user who is root to run as root.
@Suite(.timeLimit(.minutes(3))) struct PrivilegedDenialTests {
    @Test func rootInsideAUserNamespaceIsToldTheTargetIsOutsideIt() throws {
        let unshare = try #require(findExecutable("unshare"), "unshare missing (util-linux)")
        let target = try ChildProcess(path: "/bin/sleep", arguments: ["600"])
        defer { target.terminate() }
        let result = try run(unshare, ["--user", "--map-root-user", BuiltProducts.path("lwpscope"), "dump", String(target.pid)])
        #expect(result.exitCode == 1, "\(result.stdout) \(result.stderr)")
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(result.stderr)")
        #expect(result.stderr.contains("outside our user namespace"), "\(result.stderr)")
        #expect(!result.stderr.contains("run as root"), "\(result.stderr)")
        #expect(TaskStates.untraced(target.pid))
    }
}
