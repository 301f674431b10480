import ELF
import Testing
@testable import Unwind

@Suite struct RegistersAndMemoryTests {
    @Test func registersKnownAndUnknown() {
        var r = UnwindRegisters(architecture: .x86_64)
        #expect(r.count == 17)
        #expect(r.pc == nil && r.sp == nil && r.fp == nil)
        r.pc = 0x1234
        r[7] = 0x7fff
        r[6] = 0
        #expect(r[16] == 0x1234)
        #expect(r.sp == 0x7fff)
        #expect(r.fp == 0)        // zero is a known value
        #expect(!r.isKnown(3))
        r[99] = 5                 // untracked: ignored
        #expect(r[99] == nil)
        #expect(r[-1] == nil)
        r[6] = nil
        #expect(r.fp == nil)
        var copy = UnwindRegisters(architecture: .x86_64)
        copy.assign(from: r)
        #expect(copy == r)
        r.clear()
        #expect(r.pc == nil && r.sp == nil)
        #expect(copy.pc == 0x1234)
    }

    @Test func aarch64Roles() {
        var r = UnwindRegisters(architecture: .aarch64)
        r.pc = 1
        r.sp = 2
        r.fp = 3
        #expect(r[32] == 1 && r[31] == 2 && r[29] == 3)
        #expect(UnwindArchitecture.aarch64.returnAddress == 30)
    }

    /// Live reads behind the copy are Backtraces' TargetMemory (tested there
    /// against a real process); the copy alone answers only inside itself.
    @Test func snapshotReadsInsideTheCopyOnly() {
        let s = SnapshotMemory(base: 0x1000, bytes: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
        #expect(s.readU64(0x1000) == 0x0807_0605_0403_0201)
        #expect(s.readU64(0x1002) == 0x0a09_0807_0605_0403)
        #expect(s.readU64(0x1003) == nil)          // straddles the end
        #expect(s.readU32(0x1006) == 0x0a09_0807)
        #expect(s.readUnsigned(0x1009, size: 1) == 10)
        #expect(s.readUnsigned(0x1000, size: 9) == nil)
        #expect(s.readU64(0x5000) == nil)
        #expect(s.readU64(0xfff) == nil)
        #expect(s.readU64(RuntimeAddress(UInt64.max - 2)) == nil)
        // A prefix: what the copy has from an address on, for the live read to continue.
        var buffer = [UInt8](repeating: 0, count: 8)
        #expect(buffer.withUnsafeMutableBytes { s.readPrefix(0x1007, into: $0) } == 3)
        #expect(buffer.prefix(3) == [8, 9, 10])
        #expect(buffer.withUnsafeMutableBytes { s.readPrefix(0x100a, into: $0) } == 0)
        #expect(buffer.withUnsafeMutableBytes { s.readPrefix(0xfff, into: $0) } == 0)
    }
}

@Suite struct MiscCFITests {
    @Test func ehAugmentationSkipsItsPointer() throws {
        // Old GCC: "eh" is followed by an address-sized pointer, then the usual fields.
        var body = Bytes()
        body.u32(0)
        body.u8(1)
        body.cString("eh")
        body.u64(0xdead_beef)
        body.uleb(1)
        body.sleb(-8)
        body.u8(16)
        body.append(CFA.defCFA(7, 8) + CFA.offset(16, 1))
        var sec = Bytes()
        sec.u32(UInt32(body.count))
        sec.append(body.b)
        let fdeStart = sec.count
        var fde = Bytes()
        fde.u32(UInt32(fdeStart + 4))   // back to offset 0
        fde.u64(0x1000)                 // absptr
        fde.u64(0x20)
        fde.append(CFA.defCFAOffset(16))
        sec.u32(UInt32(fde.count))
        sec.append(fde.b)
        sec.u32(0)
        let t = makeTable(ehFrame: sec.b)
        let e = try t.entry(at: fdeStart, in: t.ehFrame!)
        #expect(e.cie.augmentation == "eh")
        #expect(e.fde.pcBegin == 0x1000)
        #expect(try t.row(for: 0x1010)?.cfa == .registerOffset(register: 7, offset: 16))
    }

    @Test func debugFrameVersion4AddressSize4() throws {
        var b = CFIBuilder()
        b.debugFrame = true
        var o = CFIBuilder.CIEOptions()
        o.augmentation = ""
        o.version = 4
        o.addressSize = 4
        let c = b.cie(o)
        b.fde(cie: c, pcBeginBytes: [0, 0x80, 0, 0], pcRangeBytes: [0x10, 0, 0, 0], augmentation: nil,
              instructions: CFA.defCFAOffset(12))
        let t = makeTable(ehFrame: nil, debugFrame: b.bytes)
        let e = try #require(try t.entry(for: 0x8008))
        #expect(e.cie.addressSize == 4)
        #expect(e.fde.pcRange == 0x10)
        #expect(try t.row(for: 0x8008)?.cfa == .registerOffset(register: 7, offset: 12))
    }

    @Test func ehFrameWinsOverDebugFrame() throws {
        var eh = CFIBuilder()
        let c = eh.cie()
        eh.fde(cie: c, pc: 0x1000, range: 0x10, instructions: CFA.defCFAOffset(16))
        eh.terminate()
        var dbg = CFIBuilder()
        dbg.debugFrame = true
        var o = CFIBuilder.CIEOptions()
        o.augmentation = ""
        let dc = dbg.cie(o)
        var begin = Bytes(); begin.u64(0x1000)
        var range = Bytes(); range.u64(0x100)
        dbg.fde(cie: dc, pcBeginBytes: begin.b, pcRangeBytes: range.b, augmentation: nil, instructions: CFA.defCFAOffset(48))
        let t = makeTable(ehFrame: eh.bytes, debugFrame: dbg.bytes)
        #expect(try t.row(for: 0x1008)?.cfa == .registerOffset(register: 7, offset: 16))
        // Past the .eh_frame FDE, .debug_frame still covers it.
        #expect(try t.row(for: 0x1080)?.cfa == .registerOffset(register: 7, offset: 48))
    }

    @Test func aarch64FramePointerStep() {
        // x29 → [caller x29, lr]; CFA = x29 + 16.
        var s = StackBuilder(base: 0x7000, words: 16)
        s[0x7020] = 0x7040
        s[0x7028] = 0x4444
        var callee = UnwindRegisters(architecture: .aarch64)
        callee.pc = 0x4000
        callee.sp = 0x7000
        callee.fp = 0x7020
        var caller = UnwindRegisters(architecture: .aarch64)
        guard case .ok(let cfa) = FramePointerWalker.step(from: callee, into: &caller, memory: s.memory) else {
            Issue.record("step failed"); return
        }
        #expect(cfa == 0x7030)
        #expect(caller.pc == 0x4444 && caller[30] == 0x4444)
        #expect(caller.fp == 0x7040 && caller.sp == 0x7030)
        // Misaligned or zero frame pointers are refused.
        callee.fp = 0x7021
        if case .noFramePointer = FramePointerWalker.step(from: callee, into: &caller, memory: s.memory) {} else { Issue.record("misaligned fp accepted") }
        callee.fp = 0
        if case .noFramePointer = FramePointerWalker.step(from: callee, into: &caller, memory: s.memory) {} else { Issue.record("zero fp accepted") }
    }
}
