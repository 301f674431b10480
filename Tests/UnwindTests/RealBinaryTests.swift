import ELF
import Foundation
import Testing
@testable import Unwind

let libcPath = "/usr/lib/x86_64-linux-gnu/libc.so.6"
let haveToolchain = ExternalTools.available("gcc") && ExternalTools.available("readelf")
    && ExternalTools.available("objcopy") && ExternalTools.available("nm")

/// Builds tables once per file (readelf/objcopy runs are the slow part).
final class TableCache: @unchecked Sendable {
    static let shared = TableCache()
    private let lock = NSLock()
    private var tables: [String: UnwindTable] = [:]

    func table(for path: String) throws -> UnwindTable {
        lock.lock()
        defer { lock.unlock() }
        if let t = tables[path] { return t }
        let dir = try ExternalTools.temporaryDirectory()
        defer { ExternalTools.removeTemporaryDirectory(dir) }
        let t = try ExternalTools.table(for: path, scratch: dir)
        tables[path] = t
        return t
    }
}

@Suite(.enabled(if: haveToolchain && FileManager.default.fileExists(atPath: libcPath)))
struct RealBinaryTests {
    static let omitFlags = ["-O2", "-fomit-frame-pointer"]
    // -O0: gcc 12 drops the frame of a leaf that never touches the stack even
    // with -mno-omit-leaf-frame-pointer, and a frame-pointer-only walk from
    // such a leaf skips its caller (CFI does not); -O0 gives every function a frame.
    static let fpFlags = ["-O0", "-fno-omit-frame-pointer", "-mno-omit-leaf-frame-pointer"]

    @Test func rowsMatchReadelfForCompiledProgram() throws {
        let dir = try ExternalTools.temporaryDirectory()
        defer { ExternalTools.removeTemporaryDirectory(dir) }
        let capture = try RealProgram.buildAndRun(flags: Self.omitFlags, in: dir)
        let table = try ExternalTools.table(for: capture.binary, scratch: dir)
        #expect(table.header != nil)
        let interp = FramesInterp(try ExternalTools.run("readelf", ["--debug-dump=frames-interp", capture.binary], allowFailureWithOutput: true))
        let result = FramesInterp.mismatches(interp, table: table)
        #expect(result.problems.isEmpty, "\(result.problems.joined(separator: "\n"))")
        #expect(result.checked >= 10)

        // The functions we care about, by name: a frameless leaf and two callers.
        let syms = try RealProgram.symbols(of: capture.binary)
        let leaf = try #require(syms["leaf"])
        let middle = try #require(syms["middle"])
        let leafRow = try #require(try table.row(for: leaf.lowerBound))
        #expect(leafRow.cfa == .registerOffset(register: 7, offset: 8))
        #expect(leafRow[16] == .offset(-8))
        // middle allocates a buffer: somewhere in its body the CFA is rsp+N, N > 8.
        var sawFrame = false
        for pc in middle.lowerBound.rawValue ..< middle.upperBound.rawValue {
            if case .registerOffset(7, let off)? = try table.row(for: FileAddress(pc))?.cfa, off > 8 { sawFrame = true }
        }
        #expect(sawFrame)
    }

    @Test func rowsMatchReadelfForAllOfLibc() throws {
        let table = try TableCache.shared.table(for: libcPath)
        let interp = FramesInterp(try ExternalTools.run("readelf", ["--debug-dump=frames-interp", libcPath], allowFailureWithOutput: true))
        #expect(interp.fdes.count > 1000)
        let clock = ContinuousClock()
        var result: (checked: Int, problems: [String]) = (0, [])
        let elapsed = clock.measure { result = FramesInterp.mismatches(interp, table: table) }
        print("libc: compared \(result.checked) rows against readelf in \(elapsed)")
        #expect(result.problems.isEmpty, "\(result.problems.joined(separator: "\n"))")
        #expect(result.checked > 10_000)
    }

    @Test func everyLibcFDEInTheHeaderParses() throws {
        let table = try TableCache.shared.table(for: libcPath)
        let header = try #require(table.header)
        let hdr = try #require(table.ehFrameHeader)
        let eh = try #require(table.ehFrame)
        #expect(header.ehFramePointer == eh.address)
        #expect(header.fdeCount > 1000)
        let clock = ContinuousClock()
        var parsed = 0
        var rows = 0
        var previous: FileAddress = 0
        var failures: [String] = []
        let elapsed = try clock.measure {
            for i in 0..<header.fdeCount {
                let (pc, address) = try header.entry(i, in: hdr)
                if pc < previous { failures.append("table not sorted at \(i)") }
                previous = pc
                do {
                    let e = try table.entry(at: Int(address.offset(from: eh.address)), in: eh)
                    parsed += 1
                    if e.fde.pcBegin != pc { failures.append("FDE \(i): pc \(e.fde.pcBegin) != table \(pc)") }
                    let row = try table.row(for: pc, in: e)
                    if case .undefined = row.cfa { failures.append("FDE \(i): undefined CFA") }
                    rows += 1
                } catch {
                    failures.append("FDE \(i) at \(address): \(error)")
                }
            }
        }
        print("libc: \(parsed) FDEs parsed, \(rows) start rows computed in \(elapsed)")
        #expect(failures.isEmpty, "\(failures.prefix(20).joined(separator: "\n"))")
        #expect(parsed == header.fdeCount)
        #expect(rows == header.fdeCount)
        // The scanned index (no header) finds the same FDEs.
        let scanned = makeTable(ehFrame: Array(eh.bytes), ehFrameAddress: eh.address)
        var scanCount = 0
        _ = scanned.forEachFDE(in: scanned.ehFrame!) { _ in scanCount += 1 }
        #expect(scanCount == header.fdeCount)
        for i in stride(from: 0, to: header.fdeCount, by: 37) {
            let (pc, _) = try header.entry(i, in: hdr)
            #expect(try scanned.row(for: pc) == table.row(for: pc))
        }
    }

    /// glibc's __restore_rt is a signal frame whose rules read the ucontext.
    @Test func libcSignalTrampoline() throws {
        let table = try TableCache.shared.table(for: libcPath)
        let syms = try RealProgram.symbols(of: libcPath)
        guard let restorer = syms["__restore_rt"] else { return }  // stripped libc: nothing to check
        let row = try #require(try table.row(for: restorer.lowerBound - 1))
        #expect(row.isSignalFrame)
        #expect(row.cfa == .expression([0x77] + Bytes.sleb(160) + [0x06]))
        #expect(row[16] == .expression([0x77] + Bytes.sleb(168)))
        #expect(row[6] == .expression([0x77] + Bytes.sleb(120)))
    }

    struct ProcessModules: ModuleLookup {
        let maps: [RealProgram.Mapping]
        let infos: [(Range<RuntimeAddress>, ModuleUnwindInfo)]
        func unwindInfo(for pc: RuntimeAddress) -> ModuleUnwindInfo? { infos.first { $0.0.contains(pc) }?.1 }
        func isExecutable(_ a: RuntimeAddress) -> Bool { maps.contains { $0.executable && $0.range.contains(a) } }
    }

    func modules(for capture: RealProgram.Capture) throws -> (ProcessModules, exeBias: LoadBias, libcRange: Range<RuntimeAddress>) {
        var infos: [(Range<RuntimeAddress>, ModuleUnwindInfo)] = []
        var exeBias = LoadBias.zero
        var libcRange: Range<RuntimeAddress> = 0..<0
        for path in Set(capture.maps.map(\.path)) where path == capture.binary || path.hasSuffix("/libc.so.6") {
            let maps = capture.maps.filter { $0.path == path }
            guard let base = maps.first(where: { $0.offset == 0 })?.range.lowerBound else { continue }
            let table = path == capture.binary
                ? try ExternalTools.table(for: path, scratch: URL(fileURLWithPath: path).deletingLastPathComponent())
                : try TableCache.shared.table(for: path)
            let range = maps.map(\.range.lowerBound).min()!..<maps.map(\.range.upperBound).max()!
            // Both are PIE/DSOs whose first segment is linked at 0.
            let bias = LoadBias(runtime: base, file: 0)
            infos.append((range, ModuleUnwindInfo(table: table, loadBias: bias)))
            if path == capture.binary { exeBias = bias } else { libcRange = range }
        }
        return (ProcessModules(maps: capture.maps, infos: infos), exeBias, libcRange)
    }

    @Test func unwindsARealStackWithCFI() throws {
        let dir = try ExternalTools.temporaryDirectory()
        defer { ExternalTools.removeTemporaryDirectory(dir) }
        let capture = try RealProgram.buildAndRun(flags: Self.omitFlags, in: dir)
        let (mods, bias, libc) = try modules(for: capture)
        let syms = try RealProgram.symbols(of: capture.binary)
        let r = capture.registers
        #expect(r.count == 8)
        let regs = UnwindRegisters.x86_64(rip: r[0], rsp: r[1], rbp: r[2], rbx: r[3], r12: r[4], r13: r[5], r14: r[6], r15: r[7])
        let memory = SnapshotMemory(base: RuntimeAddress(r[1]), bytes: capture.stack)
        let clock = ContinuousClock()
        var bt = Backtrace(frames: [], stopReason: .depthLimit)
        let elapsed = clock.measure { bt = Unwinder().unwind(registers: regs, memory: memory, modules: mods) }
        print("real unwind: \(bt.frames.count) frames in \(elapsed), stop \(bt.stopReason)")

        func inside(_ name: String, _ pc: RuntimeAddress) -> Bool {
            guard let s = syms[name] else { return false }
            let file = bias.fileAddress(of: pc)
            return s.contains(file) || (s.lowerBound < file && file == s.upperBound)
        }
        try #require(bt.frames.count >= 5, "\(bt)")
        #expect(inside("leaf", bt.frames[0].pc))
        #expect(inside("middle", bt.frames[1].pc))
        #expect(inside("outer", bt.frames[2].pc))
        #expect(inside("main", bt.frames[3].pc))
        // main's caller is in libc (__libc_start_call_main), then back to _start.
        #expect(libc.contains(bt.frames[4].pc))
        #expect(inside("_start", bt.frames.last!.pc))
        #expect(bt.stopReason == .outermostFrame)
        #expect(bt.frames.dropFirst().allSatisfy { $0.method == .cfi })
        // The stack only grows towards callers.
        #expect(zip(bt.frames, bt.frames.dropFirst()).allSatisfy { $0.sp < $1.sp })
        // Warm: the row caches answer repeated unwinds of the same pcs.
        let unwinder = Unwinder()
        let rounds = 10_000
        var frames = 0
        let warm = clock.measure {
            for _ in 0..<rounds { frames += unwinder.unwind(registers: regs, memory: memory, modules: mods).frames.count }
        }
        #expect(frames == rounds * bt.frames.count)
        print("real unwind, warm: \(warm / rounds) per \(bt.frames.count)-frame unwind")
    }

    @Test func unwindsARealStackWithFramePointersOnly() throws {
        let dir = try ExternalTools.temporaryDirectory()
        defer { ExternalTools.removeTemporaryDirectory(dir) }
        let capture = try RealProgram.buildAndRun(flags: Self.fpFlags, in: dir)
        let (mods, bias, _) = try modules(for: capture)
        let syms = try RealProgram.symbols(of: capture.binary)
        let r = capture.registers
        let regs = UnwindRegisters.x86_64(rip: r[0], rsp: r[1], rbp: r[2])
        let memory = SnapshotMemory(base: RuntimeAddress(r[1]), bytes: capture.stack)
        let bt = Unwinder(options: .init(useCFI: false)).unwind(registers: regs, memory: memory, modules: mods)
        func inside(_ name: String, _ pc: RuntimeAddress) -> Bool { syms[name]?.contains(bias.fileAddress(of: pc)) ?? false }
        try #require(bt.frames.count >= 4, "\(bt)")
        #expect(inside("leaf", bt.frames[0].pc))
        #expect(inside("middle", bt.frames[1].pc))
        #expect(inside("outer", bt.frames[2].pc))
        #expect(inside("main", bt.frames[3].pc))
        #expect(bt.frames.dropFirst().allSatisfy { $0.method == .framePointer })
        // Both strategies agree on the program's own frames.
        let cfi = Unwinder().unwind(registers: regs, memory: memory, modules: mods)
        #expect(Array(cfi.pcs.prefix(4)) == Array(bt.pcs.prefix(4)))
    }
}
