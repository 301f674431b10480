import Foundation
import Testing
import TestSupport

/// Names as gdb prints them (issue 17): a C++ program built `g++ -O2 -g`
/// and a Rust program built `rustc -g`, both compiled here from
/// Tests/Programs, scored against gdb with the strict name score (our name
/// must be the text gdb prints) besides frames and the relaxed names.
@Suite(.serialized, .timeLimit(.minutes(8))) struct GDBNameAgreementTests {
    let lwpscope = BuiltProducts.path("lwpscope")

    static let programs = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Programs").path

    /// rustup's rustc when PATH has none (the setup installs it under ~/.cargo).
    static var rustc: String? {
        findExecutable("rustc") ?? [NSHomeDirectory(), "/root"].map { $0 + "/.cargo/bin/rustc" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    @Test func cxxProgramNamesAreGDBs() throws {
        guard GDBReference.isAvailable, let gxx = findExecutable("g++") else {
            Issue.record("gdb or g++ missing: cannot compare")
            return
        }
        let report = try scoreBuilt(source: "names.cpp") { binary in
            [gxx, "-O2", "-g", "-pthread", "-o", binary, Self.programs + "/names.cpp"]
        }
        #expect(report.threadsCompared >= 7, "\(report)")
        #expect(report.frames.total > 40, "\(report)")
        #expect(report.frames.percentage >= 98, "\(report)")
        #expect(report.names.percentage >= 98, "\(report)")
        #expect(report.strictNames.percentage >= 98, "\(report)")
    }

    @Test func rustProgramNamesAreGDBs() throws {
        guard GDBReference.isAvailable else {
            Issue.record("gdb missing: cannot compare")
            return
        }
        guard let rustc = Self.rustc else {
            Issue.record("rustc not found on PATH or in ~/.cargo/bin: the Rust name test needs it (rustup's stable rustc)")
            return
        }
        let report = try scoreBuilt(source: "names.rs") { binary in
            [rustc, "-g", "-o", binary, Self.programs + "/names.rs"]
        }
        #expect(report.threadsCompared >= 5, "\(report)")
        #expect(report.frames.total > 60, "\(report)")
        #expect(report.frames.percentage >= 98, "\(report)")
        #expect(report.names.percentage >= 98, "\(report)")
        #expect(report.strictNames.percentage >= 98, "\(report)")
    }

    /// Builds `source` into a temporary directory with `command(binary)`,
    /// runs it until it is parked, and scores our dump against gdb's.
    private func scoreBuilt(source: String, command: (String) -> [String]) throws -> AgreementReport {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lwpscope-names-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let binary = dir + "/" + source.replacingOccurrences(of: ".", with: "-")
        let arguments = command(binary)
        let build = try run(arguments[0], Array(arguments.dropFirst()), timeout: 300)
        try #require(build.exitCode == 0, "\(arguments.joined(separator: " ")): \(build.stderr)")
        // The child is killed when it goes out of scope (ChildProcess.deinit), on failure too.
        let child = try startFreshBinary(binary)
        defer { child.terminate() }
        try child.waitForLine(startingWith: "ready", timeout: 30)
        let result = try run(lwpscope, ["dump", String(child.pid), "--json"])
        try #require(result.exitCode == 0, "\(result.stderr)")
        let ours = try DumpOutput.decode(result.stdout)
        let gdb = try GDBReference.backtraces(of: child.pid)
        #expect(TaskStates.untraced(child.pid))
        let report = BacktraceAgreement.compare(ours: ours, gdb: gdb, evidence: .live(pid: child.pid))
        print("lwpscope against gdb on \(source): \(report)")
        return report
    }
}
