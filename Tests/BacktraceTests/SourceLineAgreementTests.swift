import Foundation
import Testing
import TestSupport

/// Source lines and inline frames against gdb, on fixture-lines: threads
/// parked behind functions inlined from a header, recursion, and 40 threads
/// parked in one place.
@Suite(.serialized, .timeLimit(.minutes(8)), .enabled(if: GDBReference.isAvailable, "gdb is not installed"))
struct SourceLineAgreementTests {
    let lwpscope = BuiltProducts.path("lwpscope")
    static let fixtureDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/fixture-lines").path
    static let ownFiles: Set<String> = ["main.c", "lines_inline.h"]

    func dump(_ pid: Int32, _ extra: [String] = []) throws -> String {
        let result = try run(lwpscope, ["dump", String(pid), "--json"] + extra)
        try #require(result.exitCode == 0, "\(result.stderr)")
        return result.stdout
    }

    /// The acceptance line: built by gcc -O2 -g, at least 95% of the caller
    /// frames in the program's own files have gdb's line.
    @Test func gccO2CallerLinesMatchGDB() throws {
        let gcc = try #require(findExecutable("gcc"), "gcc missing (scripts/setup installs it)")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lwpscope-lines-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let binary = dir + "/lines-gcc"
        let build = try run(gcc, ["-O2", "-g", "-fomit-frame-pointer", "-pthread", "-o", binary, Self.fixtureDirectory + "/main.c"])
        try #require(build.exitCode == 0, "\(build.stderr)")
        try expectAgreement(binaryPath: binary)
    }

    /// The same on the package's own build of the fixture (clang, DWARF 5).
    @Test func clangBuildLinesMatchGDB() throws {
        try expectAgreement(binaryPath: BuiltProducts.path("fixture-lines"))
    }

    func expectAgreement(binaryPath: String) throws {
        let child = try ChildProcess(path: binaryPath, arguments: ["--parked", "40"])
        try child.waitForLine(startingWith: "ready")
        let ours = try DumpOutput.decode(try dump(child.pid))
        let gdb = try GDBReference.backtraces(of: child.pid)
        #expect(TaskStates.untraced(child.pid), "\(TaskStates.of(child.pid))")

        let callers = SourceLineAgreement.compare(ours: ours, gdb: gdb, files: Self.ownFiles, fromIndex: 1)
        // 40 parked threads alone have 5 caller frames each in these files.
        #expect(callers.total >= 200, "\(callers)")
        #expect(callers.percentage >= 95, "\(callers)")
        // gdb's inline frames are ours too, marked inline.
        #expect(callers.inlineTotal >= 80, "\(callers)")
        #expect(callers.inlineAgreed == callers.inlineTotal, "\(callers)")

        // And in gdb's order: the header's functions between the blocking
        // call and the thread's own function.
        let thread = try #require(ours.threads.first { $0.name == "inline-sleep" })
        let names = thread.frames.map { ($0.function ?? "??", $0.isInline) }
        let start = try #require(names.firstIndex { $0.0 == "lines_block_forever" }, "\(names)")
        #expect(names.count > start + 3)
        #expect(names[start + 1] == ("wait_one_round", true) && names[start + 2] == ("wait_for_work", true), "\(names)")
        #expect(names[start + 3] == ("inline_sleep_main", false), "\(names)")
        let waitOneRound = thread.frames[start + 1]
        #expect(waitOneRound.pc == thread.frames[start + 3].pc, "an inline frame shares its owner's pc")
        #expect(waitOneRound.file.map { $0.hasSuffix("/lines_inline.h") } == true, "\(waitOneRound)")
    }
}

/// `dump --group`: 40 threads parked in one place are one group of 40.
@Suite(.timeLimit(.minutes(8)))
struct StackGroupTests {
    let lwpscope = BuiltProducts.path("lwpscope")

    struct GroupedDump: Decodable {
        struct Group: Decodable {
            struct Member: Decodable { var tid: Int32; var name: String; var state: String }
            var count: Int
            var frames: [DumpFrame]
            var threads: [Member]
        }
        var pid: Int32
        var threadCount: Int
        var groups: [Group]
    }

    @Test func fortyParkedThreadsAreOneGroup() throws {
        let child = try startFixture("fixture-lines", ["--parked", "40"])
        let result = try run(lwpscope, ["dump", String(child.pid), "--group", "--json"])
        try #require(result.exitCode == 0, "\(result.stderr)")
        let dump = try JSONDecoder().decode(GroupedDump.self, from: Data(result.stdout.utf8))
        #expect(dump.threadCount == 45)
        #expect(dump.groups.map(\.count).reduce(0, +) == 45)
        let largest = try #require(dump.groups.first)
        #expect(largest.count == 40, "\(dump.groups.map(\.count))")
        #expect(Set(largest.threads.map(\.name)) == Set((1...40).map { "parked-\($0)" }))
        #expect(largest.frames.contains { $0.function == "park_the_same_way" })
        // Largest first; every other thread parks somewhere of its own.
        #expect(dump.groups.dropFirst().allSatisfy { $0.count == 1 }, "\(dump.groups.map(\.count))")

        let text = try run(lwpscope, ["dump", String(child.pid), "--group"])
        #expect(text.exitCode == 0)
        #expect(text.stdout.contains("45 threads in \(dump.groups.count) groups"), "\(text.stdout.prefix(300))")
        #expect(text.stdout.contains("\n40 threads: TIDs "), "\(text.stdout.prefix(300))")
        #expect(text.stdout.contains("inline wait_for_work"), "\(text.stdout.prefix(2000))")
        #expect(TaskStates.untraced(child.pid))
    }
}
