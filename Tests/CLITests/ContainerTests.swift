import Foundation
import ProcFS
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Issue 16's containers: a program in a root of its own (its own copies
/// of itself and libc, at a path the host does not have), started under
/// `unshare --pid --mount` with pivot_root, so it is pid 1 of its namespace. `ps --json`
/// gives its nsPid; `dump` and `hold` read its files through /proc/PID/root.
@Suite(.serialized, .timeLimit(.minutes(8))) struct ContainerTests {
    let lwpscope = BuiltProducts.path("lwpscope")
    static let program = """
        #include <pthread.h>
        #include <stdio.h>
        #include <time.h>
        volatile int hold = 1;
        __attribute__((noinline)) void spin_in_container(void) { while (hold) ; }
        static void *spinner(void *unused) { (void)unused; spin_in_container(); return NULL; }
        __attribute__((noinline)) void wait_in_container(void) {
            struct timespec second = {1, 0};
            for (;;) nanosleep(&second, NULL);
        }
        int main(void) {
            pthread_t thread;
            pthread_create(&thread, NULL, spinner, NULL);
            printf("ready\\n");
            fflush(stdout);
            wait_in_container();
        }
        """

    /// The chroot: the program at /opt/inside/contained, and copies of the
    /// libraries it needs at the paths it asks for.
    func makeRoot() throws -> TemporaryRoot {
        let root = try TemporaryRoot()
        let source = root.path + "/contained.c"
        try Self.program.write(toFile: source, atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: root.path + "/opt/inside", withIntermediateDirectories: true)
        let binary = root.path + "/opt/inside/contained"
        _ = try runTool("cc", ["-O1", "-g", "-pthread", "-o", binary, source])
        for library in try runTool("ldd", [binary]).split(separator: "\n").compactMap(Self.libraryPath) {
            let copy = root.path + library
            try FileManager.default.createDirectory(atPath: (copy as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            // Its content, not a symlink (/lib64's loader is one) that would point out of the root.
            try Data(contentsOf: URL(fileURLWithPath: library)).write(to: URL(fileURLWithPath: copy))
            chmod(copy, 0o755)
        }
        return root
    }

    /// `libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x…)` or `/lib64/ld-linux-x86-64.so.2 (0x…)`.
    static func libraryPath(_ line: Substring) -> String? {
        let words = line.split(separator: " ").map { $0.trimmingCharacters(in: .whitespaces) }
        if let arrow = words.firstIndex(of: "=>"), arrow + 1 < words.count, words[arrow + 1].hasPrefix("/") {
            return words[arrow + 1]
        }
        return words.first { $0.hasPrefix("/") }
    }

    @Test func aProcessInItsOwnRootUnderUnshareIsListedDumpedAndHeld() throws {
        guard getuid() == 0, findExecutable("unshare") != nil, findExecutable("pivot_root") != nil else {
            Issue.record("needs root, unshare and pivot_root")
            return
        }
        let root = try makeRoot()
        // pivot_root, as container runtimes do, rather than chroot: the host
        // then sees the program's paths as the container does (a chroot's
        // paths read from outside are the host's), and must go through
        // /proc/PID/root to open them.
        let script = "mount --bind \"$0\" \"$0\" && cd \"$0\" && mkdir old && pivot_root . old && exec /opt/inside/contained"
        let unshare = try ChildProcess(path: findExecutable("unshare")!, arguments: [
            "--pid", "--mount", "--fork", "--kill-child", "/bin/sh", "-c", script, root.path,
        ])
        defer { unshare.terminate() }
        do { try unshare.waitForLine(startingWith: "ready", timeout: 30) } catch {
            Issue.record("the contained program never said ready: \(unshare.standardError())")
            throw error
        }
        let children = (try? String(contentsOfFile: "/proc/\(unshare.pid)/task/\(unshare.pid)/children", encoding: .utf8)) ?? ""
        let pid = try #require(children.split(separator: " ").compactMap { Int32($0) }.first)
        #expect(ProcFS().executablePath(pid) == "/opt/inside/contained")
        #expect(!FileManager.default.fileExists(atPath: "/opt/inside/contained"), "the host must not have the program")

        // ps --json: nsPid 1, and its container's cgroup.
        let ps = try run(lwpscope, ["ps", "--json"])
        try #require(ps.exitCode == 0, "\(ps.stderr)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(ps.stdout.utf8)) as? [[String: Any]])
        let row = try #require(rows.first { $0["pid"] as? Int == Int(pid) })
        #expect(row["nsPid"] as? Int == 1)
        #expect(row["container"] is String, "\(row)")
        let host = try #require(rows.first { $0["pid"] as? Int == Int(getpid()) })
        #expect(host["nsPid"] as? Int == Int(getpid()) && host["container"] == nil, "\(host)")

        // dump names its functions, from the chroot's files.
        let dump = try run(lwpscope, ["dump", String(pid)])
        #expect(dump.exitCode == 0, "\(dump.stderr)")
        for name in ["spin_in_container", "wait_in_container", "main", "start_thread"] {
            #expect(dump.stdout.contains(name), "dump has no \(name):\n\(dump.stdout)")
        }
        #expect(!dump.stdout.contains("contained+0x"), "frames of the program left unnamed:\n\(dump.stdout)")
        #expect(TaskStates.untraced(pid), "\(TaskStates.of(pid))")

        // hold finds the flag and the thread spinning on it.
        let hold = try run(lwpscope, ["hold", String(pid), "--json"])
        #expect(hold.exitCode == 0, "\(hold.stderr)")
        let listing = try #require(try JSONSerialization.jsonObject(with: Data(hold.stdout.utf8)) as? [String: Any])
        let flags = try #require(listing["flags"] as? [[String: Any]], "\(listing)")
        let flag = try #require(flags.first { $0["name"] as? String == "hold" }, "\(flags)")
        #expect((flag["heldThreads"] as? [Int])?.count == 1, "\(flag)")
        #expect(TaskStates.untraced(pid), "\(TaskStates.of(pid))")
    }
}

/// A temporary directory, removed with everything in it.
final class TemporaryRoot {
    let path: String

    init() throws {
        var template = Array("/tmp/lwpscope-root-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw TestFailure("mkdtemp: \(errno)") }
        path = String(cString: made)
        chmod(path, 0o755)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}
