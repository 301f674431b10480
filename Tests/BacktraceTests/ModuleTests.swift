import Backtraces
import ELF
import Engine
import Foundation
import ProcFS
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Binaries that are stripped, deleted, or shared between snapshots.
@Suite(.ownThreads, .timeLimit(.minutes(8))) struct ModuleTests {
    /// A copy of a fixture in a temporary directory, optionally stripped.
    func copyOfFixture(stripped: Bool) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lwpscope-bt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("copied-fixture").path
        try FileManager.default.copyItem(atPath: BuiltProducts.path("fixture-threads-nofp"), toPath: path)
        if stripped {
            let result = try run("/usr/bin/strip", ["--strip-all", path])
            try #require(result.exitCode == 0, "strip: \(result.stderr)")
        }
        return path
    }

    @Test func strippedBinaryGivesModuleOffsetsNotGuesses() async throws {
        let path = try copyOfFixture(stripped: true)
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let child = try startFreshBinary(path)
        try child.waitForLine(startingWith: "ready")
        let backtraces = try await takeBacktraces(child.pid)
        let original = try ELFFile.open(path: BuiltProducts.path("fixture-threads-nofp"))
        let spinner = try #require(backtraces.threads.first { $0.name == "spinner-1" })
        let own = spinner.frames.filter { $0.module == path }
        #expect(own.count >= 2, "\(spinner.frames)")
        for frame in own {
            // No name, and the offset is the link-time address: the unstripped
            // binary's symbol there is the function we expect.
            #expect(frame.function == nil, "\(frame)")
            let lookup = FileAddress(frame.index == 0 ? frame.offset : frame.offset - 1)
            let truth = try original.symbols.symbol(containing: lookup)?.name
            #expect(truth == (frame.index == 0 ? "spin_on_hold" : "thread_main"), "\(frame)")
        }
        // libc frames keep their names.
        #expect(spinner.frames.contains { $0.function == "start_thread" })
        #expect(TaskStates.untraced(child.pid))
    }

    @Test func deletedBinaryIsStillSymbolized() async throws {
        let path = try copyOfFixture(stripped: false)
        let child = try startFreshBinary(path)
        try child.waitForLine(startingWith: "ready")
        try FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent)
        #expect(ProcFS().memoryMap(child.pid)?.contains { $0.isDeleted } == true)
        let backtraces = try await takeBacktraces(child.pid)
        let spinner = try #require(backtraces.threads.first { $0.name == "spinner-1" })
        #expect(spinner.frames.first?.function == "spin_on_hold", "\(spinner.frames)")
        #expect(spinner.frames.first?.module == path + " (deleted)")
    }

    @Test func modulesAreParsedOnceAcrossSnapshots() async throws {
        let child = try ChildProcess(path: BuiltProducts.path("fixture-threads-fp"))
        try child.waitForLine(startingWith: "ready")
        let cache = ModuleCache()
        let engine = TraceEngine()
        try await engine.attach(child.pid)
        let first = try await engine.snapshot(child.pid, stackBytes: 8192)
        _ = Backtracer(cache: cache).backtraces(of: first)
        let parsed = cache.count
        #expect(parsed >= 2)
        let second = try await engine.snapshot(child.pid, stackBytes: 8192)
        let again = Backtracer(cache: cache).backtraces(of: second)
        await engine.close()
        #expect(cache.count == parsed)
        #expect(again.threads.allSatisfy { !$0.frames.isEmpty })
    }

    @Test func vdsoFramesAreNamed() throws {
        let space = try #require(AddressSpace.load(pid: getpid()))
        let vdso = try #require(space.regions.first { $0.path == "[vdso]" })
        let module = try #require(vdso.module)
        let symbol = try #require(try module.elf.symbols.symbols(named: "__vdso_clock_gettime").first)
        #expect(space.unwindInfo(for: vdso.loadBias.runtimeAddress(of: symbol.value)) != nil)
    }
}

@Suite(.ownThreads, .timeLimit(.minutes(8))) struct ForeignArchitectureTests {
    /// Refused before attaching (issue 17): one clear error, not a row per thread.
    @Test func thirtyTwoBitProcessIsRefusedWithAClearError() async throws {
        guard let gcc = findExecutable("gcc") else { Issue.record("gcc missing"); return }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lwpscope-32-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // No 32-bit libc here: a static program with its own _start.
        try "void _start(void) { for (;;); }\n".write(toFile: dir + "/spin32.c", atomically: true, encoding: .utf8)
        let build = try run(gcc, ["-m32", "-nostdlib", "-static", "-O1", "-o", dir + "/spin32", dir + "/spin32.c"])
        guard build.exitCode == 0 else { Issue.record("gcc -m32 unavailable: \(build.stderr)"); return }
        let child = try ChildProcess(path: dir + "/spin32")
        #expect(waitUntil { ProcFS().stat(child.pid)?.state == .running })
        let engine = TraceEngine()
        await #expect(throws: EngineError.unsupportedArchitecture(pid: child.pid, command: "spin32", architecture: "32-bit x86 (i386)")) {
            try await engine.attach(child.pid)
        }
        await engine.close()
        #expect(TaskStates.untraced(child.pid))
    }
}
