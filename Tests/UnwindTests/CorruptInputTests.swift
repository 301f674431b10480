import ELF
import Foundation
import Testing
import TestSupport
@testable import Unwind

typealias SeededGenerator = SplitMix64

@Suite struct CorruptInputTests {
    func sample() -> (bytes: [UInt8], fde: Int) {
        var b = CFIBuilder()
        let c = b.cie()
        let f = b.fde(cie: c, pc: 0x1000, range: 0x100,
                      instructions: CFA.advance(1) + CFA.defCFAOffset(16) + CFA.offset(6, 2)
                        + CFA.advance(2) + CFA.defCFAExpression([0x77, 0x08, 0x06]))
        b.terminate()
        return (b.bytes, f)
    }

    @Test func everyTruncationIsAnErrorOrNil() throws {
        let (bytes, _) = sample()
        let full = makeTable(ehFrame: bytes)
        #expect(try full.row(for: 0x1003)?.cfa == .expression([0x77, 0x08, 0x06]))
        var errors = 0, nils = 0
        for n in 0..<bytes.count - 4 {  // the last 4 bytes are the terminator
            let t = makeTable(ehFrame: Array(bytes[0..<n]))
            do {
                if try t.row(for: 0x1003) == nil { nils += 1 }
            } catch {
                errors += 1
            }
            // Reading the FDE directly names the problem instead of skipping it.
            if n > 0 {
                #expect(throws: CFIError.self) { try t.entry(at: 0x1c, in: t.ehFrame!) }
            }
        }
        #expect(nils + errors == bytes.count - 4)
    }

    @Test func badLengths() throws {
        var (bytes, fde) = sample()
        // FDE length past the end of the section.
        bytes[fde] = 0xff
        bytes[fde + 1] = 0x7f
        let t = makeTable(ehFrame: bytes)
        #expect { try t.entry(at: fde, in: t.ehFrame!) } throws: {
            if case .badLength = ($0 as? CFIError)?.kind { return ($0 as? CFIError)?.offset == fde }
            return false
        }
        #expect(try t.row(for: 0x1000) == nil)
        // A 64-bit length that does not fit.
        var b = Bytes()
        b.u32(0xffff_ffff)
        b.u64(UInt64.max)
        b.u32(0)
        let t2 = makeTable(ehFrame: b.b)
        #expect { try t2.entry(at: 0, in: t2.ehFrame!) } throws: { ($0 as? CFIError)?.kind == .badLength(UInt64.max) }
        // A length too short to hold the CIE id.
        let t3 = makeTable(ehFrame: [2, 0, 0, 0, 0, 0, 0, 0])
        #expect { try t3.entry(at: 0, in: t3.ehFrame!) } throws: { ($0 as? CFIError)?.kind == .badLength(2) }
        // A zero length in .debug_frame is not a terminator.
        let t4 = makeTable(ehFrame: nil, debugFrame: [0, 0, 0, 0])
        #expect { try t4.entry(at: 0, in: t4.debugFrame!) } throws: { ($0 as? CFIError)?.kind == .badLength(0) }
    }

    @Test func badCIEPointers() throws {
        var (bytes, fde) = sample()
        // Points before the section start.
        bytes[fde + 4] = 0xff
        bytes[fde + 5] = 0xff
        let t = makeTable(ehFrame: bytes)
        #expect { try t.entry(at: fde, in: t.ehFrame!) } throws: {
            if case .badCIEPointer = ($0 as? CFIError)?.kind { return true }
            return false
        }
        // Points at an FDE (itself): not a CIE.
        var (b2, f2) = sample()
        b2[f2 + 4] = 0
        b2[f2 + 5] = 0
        b2[f2 + 6] = 0
        b2[f2 + 7] = 0
        // id 0 makes it a CIE in .eh_frame, so aim at offset 4 from the id field: mid-CIE.
        b2[f2 + 4] = 4
        let t2 = makeTable(ehFrame: b2)
        #expect(throws: CFIError.self) { try t2.entry(at: f2, in: t2.ehFrame!) }
    }

    @Test func hugeLEB128sDoNotTrap() throws {
        // A def_cfa_offset with a 20-byte ULEB and an offset_extended_sf with an overlong SLEB.
        let huge = [UInt8](repeating: 0xff, count: 19) + [0x01]
        let ins = [0x0e] + huge + [0x11, 0x03] + [UInt8](repeating: 0xc0, count: 9) + [0x40]
        let t = singleFDETable(instructions: ins)
        let row = try #require(try t.row(for: 0x1000))
        #expect(row.cfa == .registerOffset(register: 7, offset: -1))  // all ones, truncated to 64 bits
        // A ULEB that never ends.
        let t2 = singleFDETable(instructions: [0x0e] + [UInt8](repeating: 0x80, count: 30))
        #expect { try t2.row(for: 0x1000) } throws: {
            if case .truncated = ($0 as? CFIError)?.kind { return true }
            return false
        }
        // An expression block longer than the instructions.
        let t3 = singleFDETable(instructions: [0x0f] + Bytes.uleb(1 << 40))
        #expect { try t3.row(for: 0x1000) } throws: {
            if case .badLength = ($0 as? CFIError)?.kind { return true }
            return false
        }
        // A register number past 64 bits.
        let t4 = singleFDETable(instructions: [0x0c] + huge + [0x08])
        #expect(throws: CFIError.self) { try t4.row(for: 0x1000) }
    }

    @Test func skipCyclesAreBoundedInCFAExpressions() throws {
        // CFA = an expression that loops forever: the unwinder stops, not hangs.
        let t = singleFDETable(instructions: CFA.defCFAExpression([0x2f, 0xfd, 0xff]))
        let info = ModuleUnwindInfo(table: t, loadBias: .zero)
        let modules = StaticModuleLookup([.init(range: 0x1000..<0x2000, unwindInfo: info)])
        let s = StackBuilder(base: 0x7fff_0000, words: 4)
        let bt = Unwinder(options: .init(useFramePointers: false))
            .unwind(registers: .x86_64(rip: 0x1000, rsp: 0x7fff_0000), memory: s.memory, modules: modules)
        #expect(bt.stopReason == .cfiError(CFIError(.tooManySteps, section: .expression, offset: 0)))
    }

    /// Seeded random byte flips of real CFI (libc's .eh_frame and .eh_frame_hdr):
    /// lookups, scans and unwinds must end in values or typed errors, never traps.
    @Test(.enabled(if: haveToolchain && FileManager.default.fileExists(atPath: libcPath)))
    func randomByteFlipsOfLibcNeverTrap() throws {
        let real = try TableCache.shared.table(for: libcPath)
        let eh = try #require(real.ehFrame)
        let hdr = try #require(real.ehFrameHeader)
        let header = try #require(real.header)
        let ehBytes = Array(eh.bytes)
        let hdrBytes = Array(hdr.bytes)
        var pcs: [FileAddress] = []
        for i in stride(from: 0, to: header.fdeCount, by: 17) { pcs.append(try header.entry(i, in: hdr).pc + 1) }

        var rng = SeededGenerator(seed: 0x5eed_cf1)
        var rows = 0, errors = 0, unwound = 0
        var stack = StackBuilder(base: 0x7fff_0000, words: 512)
        for i in 0..<512 { stack.words[i] = UInt64.random(in: 0..<0x20_0000, using: &rng) }
        let memory = stack.memory

        for iteration in 0..<200 {
            var e = ehBytes
            var h = hdrBytes
            // Flip a few bytes near where lookups will land, and a few anywhere.
            for _ in 0..<Int.random(in: 1...24, using: &rng) {
                let at = Int.random(in: 0..<e.count, using: &rng)
                e[at] = UInt8.random(in: 0...255, using: &rng)
            }
            if iteration % 3 == 0 {
                for _ in 0..<4 {
                    let at = Int.random(in: 0..<h.count, using: &rng)
                    h[at] = UInt8.random(in: 0...255, using: &rng)
                }
            }
            let t = makeTable(ehFrame: e, ehFrameAddress: eh.address,
                              header: iteration % 2 == 0 ? h : nil, headerAddress: hdr.address)
            for pc in pcs {
                do {
                    if try t.row(for: pc) != nil { rows += 1 }
                } catch {
                    errors += 1
                }
            }
            if iteration % 10 == 0 { _ = t.forEachFDE(in: t.ehFrame!) { _ in } }
            let modules = StaticModuleLookup([.init(range: 0..<0x20_0000, unwindInfo: ModuleUnwindInfo(table: t, loadBias: .zero))])
            for pc in pcs.prefix(40) {
                // Bias zero: the file address is where the code runs.
                let bt = Unwinder().unwind(registers: .x86_64(rip: pc.rawValue, rsp: 0x7fff_0100, rbp: 0x7fff_0200, rbx: 0x7fff_0300),
                                           memory: memory, modules: modules)
                unwound += bt.frames.count
            }
        }
        print("fuzz: \(rows) rows, \(errors) typed errors, \(unwound) frames")
        #expect(rows > 1000)
        #expect(errors > 0)
        #expect(unwound > 0)
    }

    /// Random flips of a hand-built section exercise every DW_CFA and DW_OP path.
    @Test func randomByteFlipsOfBuiltCFINeverTrap() throws {
        var b = CFIBuilder()
        let c = b.cie()
        var sig = CFIBuilder.CIEOptions()
        sig.augmentation = "zPLRS"
        let c2 = b.cie(sig)
        let plt: [UInt8] = [0x77, 0x08, 0x80, 0x00, 0x3f, 0x1a, 0x3b, 0x2a, 0x33, 0x24, 0x22]
        b.fde(cie: c, pc: 0x1000, range: 0x100, instructions: CFA.defCFAExpression(plt) + CFA.advance(4)
              + CFA.rememberState + CFA.expression(3, [0x77, 0x10, 0x2f, 0x00, 0x00]) + CFA.advance(4) + CFA.restoreState)
        b.fde(cie: c2, pc: 0x2000, range: 0x100, instructions: CFA.valExpression(6, [0x31, 0x32, 0x17, 0x28, 0x01, 0x00, 0x13])
              + CFA.advance1(3) + CFA.register(12, 13) + CFA.valOffsetSF(14, 2) + CFA.advance2(5) + CFA.restore(6))
        b.terminate()
        let original = b.bytes
        var rng = SeededGenerator(seed: 42)
        var stack = StackBuilder(base: 0x7fff_0000, words: 64)
        for i in 0..<64 { stack.words[i] = UInt64.random(in: 0..<0x3000, using: &rng) }
        var outcomes: [String: Int] = [:]
        for _ in 0..<3000 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...3, using: &rng) {
                bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            }
            let t = makeTable(ehFrame: bytes)
            for pc: FileAddress in [0x1000, 0x1005, 0x1009, 0x2000, 0x2004, 0x2010] {
                do {
                    outcomes[try t.row(for: pc) == nil ? "nil" : "row", default: 0] += 1
                } catch {
                    outcomes["error", default: 0] += 1
                }
            }
            let modules = StaticModuleLookup([.init(range: 0x1000..<0x3000, unwindInfo: ModuleUnwindInfo(table: t, loadBias: .zero))])
            _ = Unwinder().unwind(registers: .x86_64(rip: 0x1005, rsp: 0x7fff_0000, rbp: 0x7fff_0040, rbx: 1),
                                  memory: stack.memory, modules: modules)
        }
        #expect(outcomes["row", default: 0] > 0)
        #expect(outcomes["error", default: 0] > 0)
        #expect(outcomes["nil", default: 0] > 0)
    }
}
