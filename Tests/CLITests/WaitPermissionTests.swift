import Foundation
import ProcFS
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A peer lwpscope may not read is named, with "no permission", never
/// skipped silently nor replaced by a wrong one: `cat`, run as nobody, reads
/// a pipe whose writer is root's `sleep`; `graph --no-stop` runs as nobody.
@Suite(.timeLimit(.minutes(8))) struct WaitPermissionTests {
    static let nobody = ["--reuid=65534", "--regid=65534", "--clear-groups"]

    @Test func aPipeWriterOfAnotherUserIsNamedWithNoPermission() throws {
        let shell = try ChildProcess(
            path: "/bin/sh", arguments: ["-c", "sleep 1000 | setpriv \(Self.nobody.joined(separator: " ")) cat"],
            ownProcessGroup: true)
        let procfs = ProcFS()
        var reader: Int32 = 0, writer: Int32 = 0
        defer {
            // The whole pipeline: a sleep left behind would hold for 1,000 s
            // whatever descriptors it inherited from this test process.
            kill(-shell.pid, SIGKILL)
            for pid in [reader, writer] where pid > 0 { kill(pid, SIGKILL) }
            shell.terminate()
        }
        #expect(waitUntil(timeout: 10) {
            let children = procfs.processListing().filter { $0.parentID == shell.pid }
            reader = children.first { $0.command.hasPrefix("cat") }?.pid ?? 0
            writer = children.first { $0.command.hasPrefix("sleep") }?.pid ?? 0
            guard reader > 0, writer > 0, procfs.status(reader)?.realUserID == 65534 else { return false }
            if case .inSyscall(0, _, _, _)? = procfs.syscall(reader, thread: reader) { return true }
            return false
        }, "cat never blocked in read")

        // Our binary may sit in a directory nobody cannot enter: run a copy.
        let directory = try TemporaryDirectory(mode: 0o755)
        let copy = directory.path + "/lwpscope"
        try copyExecutable(BuiltProducts.path("lwpscope"), to: copy)
        var result = try run("/usr/bin/setpriv", Self.nobody + [copy, "graph", "--no-stop", "--json", String(reader)])
        // A child another test spawns between our open and close can hold the
        // copy open for writing a moment longer (ETXTBSY): try again.
        for _ in 0..<5 where result.exitCode == 126 && result.stderr.contains("busy") {
            usleepMillis(200)
            result = try run("/usr/bin/setpriv", Self.nobody + [copy, "graph", "--no-stop", "--json", String(reader)])
        }
        #expect(result.exitCode == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let processes = try #require(json["processes"] as? [[String: Any]])
        let cat = try #require(processes.first { $0["pid"] as? Int == Int(reader) })
        let thread = try #require((cat["threads"] as? [[String: Any]])?.first)
        let wait = try #require(thread["waitsOn"] as? [String: Any], "\(thread)")
        #expect(wait["syscall"] as? String == "read")
        #expect(wait["fd"] as? Int == 0)
        #expect(wait["object"] as? String == "pipe")
        let peers = try #require(wait["peers"] as? [[String: Any]], "\(wait)")
        #expect(peers.contains { $0["pid"] as? Int == Int(writer) && $0["error"] as? String == "no permission" }, "\(peers)")
        // Every peer named without being read is marked so: none is a guess.
        #expect(peers.allSatisfy { $0["error"] as? String == "no permission" }, "\(peers)")
    }
}

/// Copies an executable through a close-on-exec descriptor, so children
/// spawned meanwhile by other tests do not keep it open for writing.
func copyExecutable(_ source: String, to destination: String) throws {
    guard let bytes = FileManager.default.contents(atPath: source) else { throw TestFailure("cannot read \(source)") }
    let fd = open(destination, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o755)
    guard fd >= 0 else { throw TestFailure("open \(destination): \(errno)") }
    defer { close(fd) }
    let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    guard written == bytes.count else { throw TestFailure("short write to \(destination)") }
}

/// A directory removed with everything in it at the end.
final class TemporaryDirectory {
    let path: String

    init(mode: mode_t) throws {
        var template = Array("/tmp/lwpscope-test-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw TestFailure("mkdtemp: \(errno)") }
        path = String(cString: made)
        chmod(path, mode)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}
