import Foundation
import Testing
import TestSupport

/// Frame arguments as gdb prints them (issue 18): Tests/Programs/args.c
/// built `gcc -O2 -g` (DWARF 5, and DWARF 4 with its older location lists
/// and GNU call sites) and Debian's memcached, whose glibc frames have
/// DWARF from libc6-dbg, scored against gdb's `set print frame-arguments all`.
@Suite(.serialized, .timeLimit(.minutes(8))) struct FrameArgumentTests {
    let lwpscope = BuiltProducts.path("lwpscope")

    static let programs = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Programs").path

    @Test(arguments: ["-gdwarf-5", "-gdwarf-4"])
    func argsProgramAgreesWithGDB(dwarf: String) throws {
        guard GDBReference.isAvailable, let gcc = findExecutable("gcc") else {
            Issue.record("gdb or gcc missing: cannot compare")
            return
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lwpscope-args-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let binary = dir + "/args"
        let build = try run(gcc, ["-O2", "-g", dwarf, "-pthread", "-o", binary, Self.programs + "/args.c"], timeout: 300)
        try #require(build.exitCode == 0, "gcc: \(build.stderr)")
        let child = try startFreshBinary(binary)
        defer { child.terminate() }
        try child.waitForLine(startingWith: "ready", timeout: 30)

        let (report, ours) = try score(pid: child.pid)
        print("lwpscope arguments against gdb on args.c (\(dwarf)): \(report)")
        // JSON: an empty list for a function without parameters, none without DWARF.
        let frames = ours.threads.flatMap(\.frames)
        #expect(frames.first { $0.function == "main" }?.arguments == [])
        #expect(frames.first { $0.function == "with_scalars" }?.arguments?.map(\.type)
                    == ["long unsigned int", "long long int", "short unsigned int", "enum color", "_Bool", "char"])
        #expect(report.framesPaired >= 25, "\(report)")
        #expect(report.compared >= 40, "\(report)")
        #expect(report.passes(minimum: 90), "\(report)")

        // The text form: gdb's list after the function.
        let text = try run(lwpscope, ["dump", String(child.pid)])
        try #require(text.exitCode == 0, "\(text.stderr)")
        #expect(text.stdout.contains("(n=n@entry=3, total=total@entry=109)"), "\(text.stdout)")
        #expect(text.stdout.contains("(c=8, b=7, a=6)") || text.stdout.contains("(a=6, b=7, c=8)"), "\(text.stdout)")
        #expect(text.stdout.contains("letter=65 'A'"), "\(text.stdout)")
        #expect(TaskStates.untraced(child.pid))
    }

    @Test(.enabled(if: Memcached.isAvailable, "/usr/bin/memcached is not installed (Debian package memcached)"))
    func memcachedAgreesWithGDB() throws {
        guard GDBReference.isAvailable else {
            Issue.record("gdb missing: cannot compare")
            return
        }
        let memcached = try Memcached.start(workerThreads: 4)
        defer { memcached.terminate() }
        let (report, ours) = try score(pid: memcached.pid)
        print("lwpscope arguments against gdb on memcached: \(report)")
        // memcached itself has no DWARF: its frames carry no argument list.
        let own = ours.threads.flatMap(\.frames).filter { $0.module == Memcached.executable }
        #expect(!own.isEmpty && own.allSatisfy { $0.arguments == nil })
        #expect(report.compared >= 20, "\(report)")
        #expect(report.passes(minimum: 85), "\(report)")
        #expect(TaskStates.untraced(memcached.pid))
    }

    /// A scorer that cannot fail proves nothing: one changed value, and one
    /// value where gdb has none, each fail it.
    @Test func scorerFailsOnAWrongValue() throws {
        let gdb = GDBArgumentParser.parse("""
            Thread 2 (Thread 0x7f0 (LWP 11) "args"):
            #0  0x0000000000401000 in worker (n=n@entry=3, p=0x4010 "a, (b)", q=<optimized out>) at w.c:3
            """)
        #expect(gdb[11]?.first?.values.map(\.key) == ["n", "n@entry", "p", "q"])
        func dump(_ n: String, _ q: String) -> DumpOutput {
            var frame = DumpFrame(index: 0, pc: 0x401000, function: "worker")
            frame.arguments = [DumpArgument(name: "n", value: n, entryValue: "3"),
                               DumpArgument(name: "p", value: "0x4010 \"a, (b)\""),
                               DumpArgument(name: "q", value: q)]
            return DumpOutput(pid: 10, threads: [DumpThread(tid: 11, frames: [frame])])
        }
        let right = ArgumentAgreement.compare(ours: dump("3", "<optimized out>"), gdb: gdb)
        #expect(right.compared == 3 && right.agreed == 3 && right.passes(minimum: 90), "\(right)")
        let wrong = ArgumentAgreement.compare(ours: dump("4", "<optimized out>"), gdb: gdb)
        #expect(wrong.agreed == 2 && !wrong.passes(minimum: 90), "\(wrong)")
        let invented = ArgumentAgreement.compare(ours: dump("3", "17"), gdb: gdb)
        #expect(invented.agreed == 3 && !invented.passes(minimum: 90), "\(invented)")
    }

    private func score(pid: Int32) throws -> (ArgumentAgreement, DumpOutput) {
        let result = try run(lwpscope, ["dump", String(pid), "--json"])
        try #require(result.exitCode == 0, "\(result.stderr)")
        let ours = try DumpOutput.decode(result.stdout)
        let gdb = try GDBArgumentReference.capture(of: pid)
        return (ArgumentAgreement.compare(ours: ours, gdb: gdb.frames), ours)
    }
}
