import Foundation
import Testing
import TestSupport

/// `dump --source` prints each frame's line as gdb's `frame` does, finds
/// files as gdb does (`--source-map` is substitute-path, `--source-dir` is
/// directory), and thread headers carry gdb's pthread handle.
@Suite(.serialized, .timeLimit(.minutes(4))) struct DumpSourceTests {
    let lwpscope = BuiltProducts.path("lwpscope")
    /// Where fixture-threads' spinner spins: `while (hold)`.
    let fixtureSource = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/Shared/threads_fixture.inc.c").path

    func startFixture() throws -> ChildProcess {
        let child = try ChildProcess(path: BuiltProducts.path("fixture-threads-nofp"))
        try child.waitForLine(startingWith: "ready")
        return child
    }

    /// The lines after the spinner-1 thread's header, up to the next thread.
    func spinnerLines(_ text: String) throws -> [String] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let header = try #require(lines.firstIndex { $0.contains("\"spinner-1\"") }, "\(text)")
        return Array(lines[(header + 1)...].prefix { !$0.isEmpty })
    }

    func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lwpscope-source-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// The fixture's source with line 38 replaced, to tell which copy was read.
    func alteredCopy(in directory: URL, marker: String) throws {
        var lines = try String(contentsOfFile: fixtureSource, encoding: .utf8).components(separatedBy: "\n")
        lines[37] = marker
        try lines.joined(separator: "\n").write(to: directory.appendingPathComponent("threads_fixture.inc.c"),
                                                 atomically: true, encoding: .utf8)
    }

    @Test func eachFrameIsFollowedByItsSourceLine() throws {
        let child = try startFixture()
        let result = try run(lwpscope, ["dump", String(child.pid), "--source"])
        #expect(result.exitCode == 0, "\(result.stderr)")
        let lines = try spinnerLines(result.stdout)
        #expect(lines[0].contains(" spin_on_hold+0x") && lines[0].hasSuffix("threads_fixture.inc.c:38"), "\(lines)")
        #expect(lines[1] == "38\t    while (hold)", "\(lines)")
        #expect(lines[2].contains(" thread_main+0x"), "\(lines)")
        #expect(lines[3].hasPrefix("116\t") && lines[3].contains("start->body()"), "\(lines)")
        // glibc's sources are not installed: gdb's words for a missing file.
        #expect(lines.contains { $0.hasSuffix("pthread_create.c: No such file or directory.") }, "\(lines)")
        // Without --source, frames alone.
        let plain = try spinnerLines(try run(lwpscope, ["dump", String(child.pid)]).stdout)
        #expect(plain.allSatisfy { $0.hasPrefix("#") }, "\(plain)")
        #expect(TaskStates.untraced(child.pid))
    }

    @Test func aSourceMapAndASourceDirAreSearchedAsGdbDoes() throws {
        let child = try startFixture()
        let mapped = try temporaryDirectory(), searched = try temporaryDirectory()
        defer {
            try? FileManager.default.removeItem(at: mapped)
            try? FileManager.default.removeItem(at: searched)
        }
        try alteredCopy(in: mapped, marker: "MAPPED COPY")
        try alteredCopy(in: searched, marker: "SEARCHED COPY")
        let sharedDirectory = (fixtureSource as NSString).deletingLastPathComponent
        let viaMap = try run(lwpscope, ["dump", String(child.pid), "--source", "--source-map", "\(sharedDirectory)=\(mapped.path)"])
        #expect(try spinnerLines(viaMap.stdout)[1] == "38\tMAPPED COPY", "\(viaMap.stdout)")

        // A directory is tried after the path itself: the real file wins...
        let real = try run(lwpscope, ["dump", String(child.pid), "--source", "--source-dir", searched.path])
        #expect(try spinnerLines(real.stdout)[1] == "38\t    while (hold)")
        // ...and is found there when DWARF's directory is mapped away.
        let moved = try run(lwpscope, ["dump", String(child.pid), "--source", "--source-map", "\(sharedDirectory)=/nonexistent",
                                       "--source-dir", searched.path])
        #expect(try spinnerLines(moved.stdout)[1] == "38\tSEARCHED COPY", "\(moved.stdout)")

        let json = try run(lwpscope, ["dump", String(child.pid), "--json", "--source", "--source-map", "\(sharedDirectory)=/nonexistent"])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let threads = try #require(report["threads"] as? [[String: Any]])
        let spinner = try #require(threads.first { $0["name"] as? String == "spinner-1" })
        let top = try #require((spinner["frames"] as? [[String: Any]])?.first)
        let tried = try #require(top["sourceNotFound"] as? [String], "\(top)")
        // Mapped, the path is looked for only as rewritten, as in gdb.
        #expect(tried == ["/nonexistent/threads_fixture.inc.c"], "\(tried)")
        #expect(top["source"] == nil)

        let bad = try run(lwpscope, ["dump", String(child.pid), "--source-map", "nothing"])
        #expect(bad.exitCode != 0 && bad.stderr.contains("--source-map takes OLD=NEW"), "\(bad.stderr)")
        #expect(TaskStates.untraced(child.pid))
    }

    @Test func threadHeadersNameThePthreadHandleAsGdbDoes() throws {
        let child = try startFixture()
        let gdb = try GDBReference.backtraces(of: child.pid)
        let text = try run(lwpscope, ["dump", String(child.pid)]).stdout
        let json = try run(lwpscope, ["dump", String(child.pid), "--json"]).stdout
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let threads = try #require(report["threads"] as? [[String: Any]])
        var pthreads: [Int32: String] = [:]
        for thread in threads {
            if let tid = thread["tid"] as? Int, let pthread = thread["pthread"] as? String { pthreads[Int32(tid)] = pthread }
        }
        #expect(gdb.count == threads.count)
        for thread in gdb {
            let handle = try #require(thread.pthread, "gdb without libthread_db: \(thread)")
            #expect(pthreads[thread.tid] == "0x" + String(handle, radix: 16), "\(thread.tid): ours \(String(describing: pthreads[thread.tid]))")
            let header = "Thread 0x\(String(handle, radix: 16)) (LWP \(thread.tid)) \"\(thread.name ?? "")\" "
            #expect(text.contains("\n" + header), "no \(header) in\n\(text)")
        }
        #expect(TaskStates.untraced(child.pid))
    }
}
