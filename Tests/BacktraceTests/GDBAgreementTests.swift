import Backtraces
import Engine
import Demangle
import ELF
import Foundation
import ProcFS
import Testing
import TestSupport

/// `dump --json` against gdb, frame by frame: the acceptance yardstick
/// (98% on a plain `gcc -O2 -g` C program, 95% on memcached -t 6).
@Suite(.serialized, .timeLimit(.minutes(8))) struct GDBAgreementTests {
    let lwpscope = BuiltProducts.path("lwpscope")

    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// Our dump and gdb's backtraces of the same, parked process.
    func compare(_ pid: Int32) throws -> AgreementReport {
        let result = try run(lwpscope, ["dump", String(pid), "--json"])
        try #require(result.exitCode == 0, "\(result.stderr)")
        let ours = try DumpOutput.decode(result.stdout)
        let gdb = try GDBReference.backtraces(of: pid)
        #expect(TaskStates.untraced(pid))
        let space = AddressSpace.load(pid: pid)
        return BacktraceAgreement.compare(
            ours: ours, gdb: gdb,
            sameFunction: { ourName, gdbName, pc in
                // gdb leaves Swift names mangled, and picks other glibc aliases.
                if FunctionNames.same(ourName, Demangler.demangle(gdbName)) { return true }
                guard let region = space?.region(containing: RuntimeAddress(pc)), let module = region.module,
                      let symbol = module.symbol(containing: region.loadBias.fileAddress(of: RuntimeAddress(pc))) else { return false }
                return module.aliases(of: symbol).contains { FunctionNames.same($0, gdbName) }
            },
            isTailCallFrame: { pc in !followsCallInstruction(pid: pid, returnAddress: pc) })
    }

    @Test func gccO2CProgramAgreesOn98Percent() throws {
        guard GDBReference.isAvailable, let gcc = findExecutable("gcc") else {
            Issue.record("gdb or gcc missing: cannot compare")
            return
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lwpscope-gcc-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let binary = dir + "/threads-gcc"
        let build = try run(gcc, ["-O2", "-g", "-pthread", "-o", binary,
                                  Self.packageRoot + "/Tests/Fixtures/fixture-threads-nofp/main.c"])
        try #require(build.exitCode == 0, "\(build.stderr)")
        let child = try ChildProcess(path: binary, arguments: ["--spinners", "2", "--static-spinners", "1", "--in-handler", "1"])
        try child.waitForLine(startingWith: "ready")
        let report = try compare(child.pid)
        #expect(report.frames.total > 60)
        #expect(report.frames.percentage >= 98, "\(report)")
        #expect(report.names.percentage >= 98, "\(report)")
    }

    @Test func memcachedAgreesOn95Percent() throws {
        guard GDBReference.isAvailable, Memcached.isAvailable else {
            Issue.record("gdb or memcached missing: cannot compare (scripts/setup installs them)")
            return
        }
        let memcached = try Memcached.start(workerThreads: 6)
        let report = try compare(memcached.pid)
        #expect(report.threadsCompared >= 10)
        #expect(report.frames.percentage >= 95, "\(report)")
        #expect(report.names.percentage >= 95, "\(report)")
    }

    @Test(arguments: ["fixture-cxx", "fixture-swift", "fixture-threads-fp"])
    func fixturesAgree(fixture: String) throws {
        guard GDBReference.isAvailable else {
            Issue.record("gdb missing: cannot compare")
            return
        }
        let child = try ChildProcess(path: BuiltProducts.path(fixture))
        try child.waitForLine(startingWith: "ready")
        let report = try compare(child.pid)
        #expect(report.frames.percentage >= 95, "\(report)")
        #expect(report.names.percentage >= 95, "\(report)")
    }
}

/// A real return address comes right after a call: `e8 rel32`, or `ff /2`
/// with any of its operand forms (2 to 7 bytes, with or without REX).
func followsCallInstruction(pid: Int32, returnAddress pc: UInt64) -> Bool {
    guard pc >= 8, let bytes = ProcessMemory.read(pid: pid, address: pc - 8, count: 8), bytes.count == 8 else {
        return true  // unreadable: do not exclude it
    }
    if bytes[3] == 0xE8 { return true }  // call rel32 (5 bytes)
    for length in 2...7 {
        let start = 8 - length
        var i = start
        if bytes[i] & 0xF0 == 0x40, length > 2 { i += 1 }  // REX prefix
        guard i < 7, bytes[i] == 0xFF else { continue }
        let modrm = bytes[i + 1]
        guard (modrm >> 3) & 7 == 2 else { continue }  // /2: call near indirect
        let mod = modrm >> 6, rm = modrm & 7
        var size = 2 + (i - start)
        if mod != 3, rm == 4 { size += 1 }  // SIB
        if mod == 1 { size += 1 } else if mod == 2 || (mod == 0 && rm == 5) { size += 4 }
        if mod == 0, rm == 4, bytes[i + 2] & 7 == 5 { size += 4 }  // SIB with no base: disp32
        if size == length { return true }
    }
    return false
}
