@testable import Backtraces
import Foundation
import InspectorFeed
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Issue 17's JIT code: node with `--perf-basic-prof` and worker threads,
/// each spinning in a hot (compiled) JavaScript function. Every frame of ours
/// inside a perf-map range is named from the map, the JavaScript names
/// appear, the stack goes on below the JIT frames, and no frame is printed
/// as a bare `+0x7f…`.
@Suite(.serialized, .timeLimit(.minutes(5))) struct JITPerfMapTests {
    static let script = """
        const { Worker, isMainThread, workerData } = require('worker_threads');
        function spinInWorker(seed) {
          let x = seed;
          for (;;) { x = (x * 1103515245 + 12345) & 0x7fffffff; if (x === -1) return x; }
        }
        function spinInMain() {
          let y = 1;
          for (;;) { y = (y * 69069 + 1) & 0x7fffffff; if (y === -1) return y; }
        }
        if (isMainThread) {
          for (let i = 0; i < 2; i++) new Worker(__filename, { workerData: i + 1 });
          // Long enough for the workers' loops to be compiled and mapped.
          setTimeout(() => { console.log(`ready ${process.pid}`); spinInMain(); }, 1500);
        } else {
          spinInWorker(workerData);
        }
        """

    @Test func nodeFramesInsidePerfMapRangesAreNamedFromTheMap() throws {
        let node = try #require(findExecutable("node"), "node is missing: scripts/setup installs nodejs")
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("jit-\(getpid())").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        try Self.script.write(toFile: root + "/spin.js", atomically: true, encoding: .utf8)
        // In its own directory: node may leave isolate-*-v8.log files where it runs.
        let child = try ChildProcess(path: "/bin/sh", arguments: ["-c", "cd \"$0\" && exec \"$1\" --perf-basic-prof spin.js", root, node])
        defer {
            child.terminate()
            unlink("/tmp/perf-\(child.pid).map")
        }
        try child.waitForLine(startingWith: "ready", timeout: 60)

        let dump = try run(BuiltProducts.path("lwpscope"), ["dump", String(child.pid), "--json"])
        #expect(dump.exitCode == 0, "\(dump.stderr)")
        let output = try DumpOutput.decode(dump.stdout)
        // The map as it stands after our snapshot: a range in it then was in it at the stop.
        let map = try #require(PerfMap.load(pid: child.pid, namespacePID: nil, owner: getuid()), "node wrote no perf map")
        var inMap = 0
        for frame in output.threads.flatMap(\.frames) {
            let pc = frame.pc
            let lookup = frame.index == 0 ? pc : pc - 1
            guard let entry = map.entry(containing: lookup), frame.module == nil else { continue }
            inMap += 1
            #expect(frame.function == entry.name, "frame \(frame.index) at \(frame.pc): \(frame.function ?? "nil") vs the map's \(entry.name)")
        }
        #expect(inMap >= 3, "only \(inMap) frames in JIT code: are the three loops compiled?")
        let names = output.threads.flatMap(\.frames).compactMap(\.function)
        #expect(names.contains { $0.contains("spinInWorker") }, "\(Set(names))")
        #expect(names.contains { $0.contains("spinInMain") }, "\(Set(names))")
        // Unwound through the JIT frames, by frame pointers, down to the thread's start.
        for thread in output.threads where thread.frames.first?.function?.contains("spin") == true {
            let bottom = thread.frames.suffix(3).compactMap(\.function)
            #expect(bottom.contains { $0 == "clone3" || $0 == "_start" || $0 == "__libc_start_main" }, "\(thread.frames.map(\.function))")
        }

        let text = try run(BuiltProducts.path("lwpscope"), ["dump", String(child.pid)])
        let bare = text.stdout.split(separator: "\n").filter { $0.range(of: #"^#\d+ +0x[0-9a-f]+ \+0x"#, options: .regularExpression) != nil }
        #expect(bare.isEmpty, "frames printed without a place: \(bare)")
        #expect(text.stdout.contains("[jit]"))
    }

    /// `node --perf-prof` writes jit-PID.dump in its working directory and
    /// maps it: found through the mapping, its names are the process's.
    @Test func aJitdumpIsFoundThroughItsMappingAndNamesCode() throws {
        let node = try #require(findExecutable("node"), "node is missing: scripts/setup installs nodejs")
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("jitdump-\(getpid())").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        try Self.script.write(toFile: root + "/spin.js", atomically: true, encoding: .utf8)
        let child = try ChildProcess(path: "/bin/sh", arguments: ["-c", "cd \"$0\" && exec \"$1\" --perf-prof spin.js", root, node])
        defer { child.terminate() }
        try child.waitForLine(startingWith: "ready", timeout: 60)
        let space = try #require(AddressSpace.load(pid: child.pid))
        let names = try #require(space.perfMap, "no jitdump found through the maps").entries.map(\.name)
        #expect(names.count > 100, "\(names.count) entries")
        #expect(names.contains { $0.contains("spinInWorker") || $0.contains("spinInMain") }, "\(names.suffix(20))")
        #expect(!space.regions.contains { $0.path.hasSuffix(".dump") }, "the dump's mapping taken for code")
    }

    @Test func jitdumpRecordsGiveLoadsAndMovesAndATornTailIsIgnored() throws {
        var bytes: [UInt8] = []
        func u32(_ v: UInt32) { bytes += withUnsafeBytes(of: v.littleEndian, Array.init) }
        func u64(_ v: UInt64) { bytes += withUnsafeBytes(of: v.littleEndian, Array.init) }
        u32(0x4A69_5444); u32(1); u32(40); u32(62); u32(0); u32(1234); u64(0); u64(0)
        func load(_ name: String, at address: UInt64, size: UInt64, index: UInt64, code: Int = 4) {
            let body = 40 + name.utf8.count + 1 + code
            u32(0); u32(UInt32(16 + body)); u64(1)
            u32(1234); u32(1234); u64(address); u64(address); u64(size); u64(index)
            bytes += Array(name.utf8) + [0] + [UInt8](repeating: 0xcc, count: code)
        }
        load("JS:*first /a.js:1", at: 0x7000, size: 0x100, index: 1)
        // A move of code index 1 to 0x9000.
        u32(1); u32(16 + 48); u64(2)
        u32(1234); u32(1234); u64(0x7000); u64(0x7000); u64(0x9000); u64(0x100); u64(1)
        load("JS:*second /a.js:9", at: 0x8000, size: 0x80, index: 2)
        let whole = bytes.count
        load("JS:*torn", at: 0xa000, size: 0x10, index: 3)
        let entries = try #require(JITDump.entries(Array(bytes[..<(whole + 30)])))
        #expect(entries.map(\.name) == ["JS:*first /a.js:1", "JS:*first /a.js:1", "JS:*second /a.js:9"])
        #expect(entries[1].range == 0x9000 ..< 0x9100)
        #expect(JITDump.entries([UInt8](repeating: 7, count: 64)) == nil)
        #expect(JITDump.entries(Array(bytes[..<20])) != nil)
    }

    @Test func aMapIsParsedNewestFirstAndJunkIsSkipped() {
        let map = PerfMap(text: """
            7f0000001000 100 old
            junk line
            0x7f0000001000 0x80 new
            7f0000001040 40 inner
            7f0000002000 0 empty
            ffffffffffffff00 1000 overflowing
            """)
        #expect(map.entry(containing: 0x7f00_0000_1010)?.name == "new")
        #expect(map.entry(containing: 0x7f00_0000_1050)?.name == "inner")
        #expect(map.entry(containing: 0x7f00_0000_2000) == nil)
        #expect(map.entries.count == 2)
    }

    @Test func aFrameInNoFileIsJitOrQuestionMarksNeverABareOffset() {
        var jit = SymbolizedFrame(index: 3, pc: 0x7f10_8c94_557a, module: nil, function: nil, rawFunction: nil,
                                  offset: 0x7f10_8c94_557a, method: "frame pointer")
        jit.isJIT = true
        #expect(jit.text.text(indexColumns: 4, pcDigits: 16, paths: .full) == "#3  0x00007f108c94557a [jit]")
        var nowhere = jit
        nowhere.isJIT = false
        #expect(nowhere.text.text(indexColumns: 4, pcDigits: 16, paths: .full) == "#3  0x00007f108c94557a ??")
        var named = jit
        named.function = "JS:*work /app.js:3:1"
        named.offset = 0x12
        #expect(named.text.text(indexColumns: 4, pcDigits: 16, paths: .full) == "#3  0x00007f108c94557a JS:*work /app.js:3:1+0x12 [jit]")
    }
}
