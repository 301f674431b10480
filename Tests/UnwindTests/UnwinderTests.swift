import ELF
import Testing
@testable import Unwind

/// A synthetic process: module A (CFI, link-time 0x0 based, loaded at bias
/// 0x400000) and module B (no CFI, frame pointers only).
struct SyntheticProcess {
    static let bias: UInt64 = 0x40_0000
    // Link-time function starts in module A.
    static let leaf: UInt64 = 0x1000       // frameless: CFA = rsp+8
    static let mid: UInt64 = 0x2000        // push rbx; sub rsp,16
    static let outer: UInt64 = 0x3000      // rbp frame
    static let start: UInt64 = 0x4000      // outermost: ra undefined
    static let restorer: UInt64 = 0x5000   // signal trampoline, FDE from restorer-1
    static let victim: UInt64 = 0x6000     // frameless
    static let broken: UInt64 = 0x7000     // corrupt instructions
    static let rbxCFA: UInt64 = 0x8000     // CFA = rbx+16
    static let sameSP: UInt64 = 0x9000     // CFA = rsp+0 (never grows)

    let table: UnwindTable
    var modules: StaticModuleLookup

    init() {
        var b = CFIBuilder()
        b.address = 0x20000
        let c = b.cie()
        b.fde(cie: c, pc: Self.leaf, range: 0x100, instructions: [])
        b.fde(cie: c, pc: Self.mid, range: 0x100,
              instructions: CFA.advance(1) + CFA.defCFAOffset(16) + CFA.offset(3, 2)
                + CFA.advance(4) + CFA.defCFAOffset(32))
        b.fde(cie: c, pc: Self.outer, range: 0x100,
              instructions: CFA.advance(1) + CFA.defCFAOffset(16) + CFA.offset(6, 2)
                + CFA.advance(3) + CFA.defCFARegister(6))
        b.fde(cie: c, pc: Self.start, range: 0x100, instructions: CFA.undefined(16))
        b.fde(cie: c, pc: Self.victim, range: 0x100, instructions: [])
        b.fde(cie: c, pc: Self.broken, range: 0x100, instructions: [0x3f])
        b.fde(cie: c, pc: Self.rbxCFA, range: 0x100, instructions: CFA.defCFA(3, 16))
        b.fde(cie: c, pc: Self.sameSP, range: 0x100, instructions: CFA.defCFA(7, 0) + CFA.offset(16, 0))
        // glibc-style __restore_rt: registers come from the ucontext at rsp.
        var sig = CFIBuilder.CIEOptions()
        sig.augmentation = "zRS"
        sig.instructions = []
        let sc = b.cie(sig)
        let mc: Int64 = 40  // uc_mcontext within ucontext
        func slot(_ i: Int64) -> [UInt8] { [0x77] + Bytes.sleb(mc + 8 * i) }  // breg7 (rsp) + off
        let gregs: [(UInt64, Int64)] = [(8, 0), (9, 1), (10, 2), (11, 3), (12, 4), (13, 5), (14, 6), (15, 7),
                                        (5, 8), (4, 9), (6, 10), (3, 11), (1, 12), (0, 13), (2, 14), (16, 16)]
        var sigIns = CFA.defCFAExpression(slot(15) + [0x06])
        for (reg, i) in gregs { sigIns += CFA.expression(reg, slot(i)) }
        b.fde(cie: sc, pc: Self.restorer - 1, range: 0x10, instructions: sigIns)
        b.terminate()
        table = makeTable(ehFrame: b.bytes, ehFrameAddress: 0x20000)
        let info = ModuleUnwindInfo(table: table, loadBias: LoadBias(displacement: Self.bias))
        modules = StaticModuleLookup([
            .init(range: 0x40_0000..<0x41_0000, unwindInfo: info),
            .init(range: 0x60_0000..<0x61_0000),                        // B: no CFI
            .init(range: 0x7fff_0000..<0x7fff_8000, isExecutable: false), // the stack
        ])
    }

    static func rt(_ link: UInt64) -> UInt64 { link + bias }
}

@Suite struct UnwinderTests {
    let p = SyntheticProcess()
    typealias S = SyntheticProcess

    /// leaf → mid → outer (CFI) → two frame-pointer frames in B → _start.
    @Test func mixedCFIAndFramePointers() throws {
        var s = StackBuilder(base: 0x7fff_1000, words: 256)
        let sp0: UInt64 = 0x7fff_1000
        s[sp0] = S.rt(S.mid + 0x20)                     // leaf's return address
        let sp1 = sp0 + 8
        let cfa1 = sp1 + 32
        s[cfa1 - 8] = S.rt(S.outer + 0x40)              // mid's return address
        s[cfa1 - 16] = 0xb0b                             // saved rbx
        let sp2 = cfa1
        let rbp2 = sp2 + 0x30                            // outer's frame record
        let fpB1 = rbp2 + 0x40
        let fpB2 = fpB1 + 0x40
        s[rbp2] = fpB1
        s[rbp2 + 8] = 0x60_0100                          // return into B
        s[fpB1] = fpB2
        s[fpB1 + 8] = 0x60_0200
        s[fpB2] = 0
        s[fpB2 + 8] = S.rt(S.start + 0x10)
        let regs = UnwindRegisters.x86_64(rip: S.rt(S.leaf + 0x10), rsp: sp0, rbp: rbp2, rbx: 0x1111)

        let bt = Unwinder().unwind(registers: regs, memory: s.memory, modules: p.modules)
        #expect(bt.stopReason == .outermostFrame)
        #expect(bt.pcs.map(\.rawValue) == [S.rt(S.leaf + 0x10), S.rt(S.mid + 0x20), S.rt(S.outer + 0x40),
                           0x60_0100, 0x60_0200, S.rt(S.start + 0x10)])
        #expect(bt.frames.map(\.method) == [.initial, .cfi, .cfi, .cfi, .framePointer, .framePointer])
        #expect(bt.frames.map(\.sp.rawValue) == [sp0, sp1, sp2, rbp2 + 16, fpB1 + 16, fpB2 + 16])
        #expect(bt.frames[0].cfa?.rawValue == sp0 + 8)
        #expect(bt.frames[1].cfa?.rawValue == cfa1)
        #expect(bt.frames[2].cfa?.rawValue == rbp2 + 16)
        #expect(bt.frames[0].pcIsExact && !bt.frames[1].pcIsExact)
        #expect(bt.frames.allSatisfy { !$0.isSignalFrame })
        #expect(bt.frames.last?.cfa == nil)
    }

    /// Frame arguments read each frame's registers: frame 0 has them all,
    /// callers only what CFI restored, and by default nothing is kept.
    @Test func framesKeepTheirRegistersWhenAsked() throws {
        var s = StackBuilder(base: 0x7fff_1000, words: 256)
        let sp0: UInt64 = 0x7fff_1000
        s[sp0] = S.rt(S.mid + 0x20)
        let cfa1 = sp0 + 8 + 32
        s[cfa1 - 8] = S.rt(S.start + 0x10)
        s[cfa1 - 16] = 0xb0b
        var regs = UnwindRegisters.x86_64(rip: S.rt(S.leaf + 0x10), rsp: sp0, rbp: 0x99, rbx: 0x1111, r12: 0x12)
        regs[5] = 0x5555  // rdi: caller-saved
        let plain = Unwinder().unwind(registers: regs, memory: s.memory, modules: p.modules)
        #expect(plain.frames.allSatisfy { $0.registers == nil })
        let kept = Unwinder(options: .init(keepsRegisters: true)).unwind(registers: regs, memory: s.memory, modules: p.modules)
        #expect(kept.pcs == plain.pcs)
        let frame0 = try #require(kept.frames[0].registers)
        #expect(frame0[5] == 0x5555 && frame0[3] == 0x1111)
        let frame1 = try #require(kept.frames[1].registers)
        #expect(frame1[5] == nil)                 // rdi did not survive the call
        #expect(frame1[3] == 0x1111 && frame1[12] == 0x12 && frame1[6] == 0x99)
        #expect(frame1.sp == sp0 + 8)
        let frame2 = try #require(kept.frames[2].registers)
        #expect(frame2[3] == 0xb0b)               // from mid's save slot
        #expect(frame2.sp == cfa1 && frame2[5] == nil)
    }

    @Test func calleeSavedRegistersAreRestored() throws {
        var s = StackBuilder(base: 0x7fff_1000, words: 16)
        s[0x7fff_1000 + 16] = 0xb0b     // rbx at cfa-16 (cfa = sp+32)
        s[0x7fff_1000 + 24] = 0x1234    // ra
        let row = try #require(try p.table.row(for: FileAddress(S.mid + 0x10)))
        let callee = UnwindRegisters.x86_64(rip: S.rt(S.mid + 0x10), rsp: 0x7fff_1000, rbp: 0x99, rbx: 0x1111, r12: 0x12)
        var caller = UnwindRegisters()
        guard case .ok(let cfa) = CFIStep.apply(row, callee: callee, into: &caller, memory: s.memory) else {
            Issue.record("step failed"); return
        }
        #expect(cfa == 0x7fff_1020)
        #expect(caller[3] == 0xb0b)       // rbx from its save slot
        #expect(caller[6] == 0x99)        // rbp unspecified, callee-saved: kept
        #expect(caller[12] == 0x12)
        #expect(caller[0] == nil)         // rax is caller-saved: lost
        #expect(caller.sp == 0x7fff_1020)
        #expect(caller.pc == 0x1234)
    }

    /// handler (leaf) → __restore_rt (signal frame) → interrupted victim at its
    /// very first instruction → _start.
    @Test(arguments: [false, true])
    func signalFrame(alternateStack: Bool) throws {
        // The handler runs on its own region when alternateStack is set (lower
        // than the interrupted code's stack), else just below it.
        let interruptedSP: UInt64 = alternateStack ? 0x7fff_1000 : 0x7fff_3000
        let handlerSP: UInt64 = 0x7fff_2000
        var s = StackBuilder(base: 0x7fff_1000, words: 0x800)
        s[handlerSP] = S.rt(S.restorer)                 // handler returns into __restore_rt
        let uc = handlerSP + 8                           // ucontext at the trampoline's rsp
        s[uc + 40 + 8 * 15] = interruptedSP              // saved rsp
        s[uc + 40 + 8 * 16] = S.rt(S.victim)             // saved rip: first instruction
        s[uc + 40 + 8 * 11] = 0xb0b                      // saved rbx
        s[interruptedSP] = S.rt(S.start + 0x20)          // victim's return address
        let regs = UnwindRegisters.x86_64(rip: S.rt(S.leaf + 4), rsp: handlerSP)

        let bt = Unwinder().unwind(registers: regs, memory: s.memory, modules: p.modules)
        #expect(bt.stopReason == .outermostFrame)
        #expect(bt.pcs.map(\.rawValue) == [S.rt(S.leaf + 4), S.rt(S.restorer), S.rt(S.victim), S.rt(S.start + 0x20)])
        #expect(bt.frames.map(\.isSignalFrame) == [false, true, false, false])
        #expect(bt.frames.map(\.pcIsExact) == [true, false, true, false])
        #expect(bt.frames[1].cfa?.rawValue == interruptedSP)
        #expect(bt.frames[2].sp.rawValue == interruptedSP)
    }

    @Test func stopsAtPCZero() {
        var s = StackBuilder(base: 0x7fff_1000, words: 4)
        s[0x7fff_1000] = 0
        let bt = Unwinder().unwind(registers: .x86_64(rip: S.rt(S.leaf), rsp: 0x7fff_1000),
                                   memory: s.memory, modules: p.modules)
        #expect(bt.stopReason == .pcZero)
        #expect(bt.frames.count == 1)
        let bt0 = Unwinder().unwind(registers: .x86_64(rip: 0, rsp: 0x7fff_1000), memory: s.memory, modules: p.modules)
        #expect(bt0.stopReason == .pcZero)
        #expect(bt0.pcs.map(\.rawValue) == [0])
    }

    @Test func stopsAtNonExecutablePC() {
        var s = StackBuilder(base: 0x7fff_1000, words: 4)
        s[0x7fff_1000] = 0x7fff_1008  // a stack address
        let bt = Unwinder().unwind(registers: .x86_64(rip: S.rt(S.leaf), rsp: 0x7fff_1000),
                                   memory: s.memory, modules: p.modules)
        #expect(bt.stopReason == .pcNotExecutable(0x7fff_1008))
        #expect(bt.frames.count == 1)
    }

    @Test func stopsWhenStackDoesNotGrow() {
        // sameSP: CFA = rsp+0 and ra at CFA → first step may keep sp...
        var s = StackBuilder(base: 0x7fff_1000, words: 4)
        s[0x7fff_1000] = S.rt(S.sameSP + 0x11)
        let bt = Unwinder().unwind(registers: .x86_64(rip: S.rt(S.sameSP + 0x10), rsp: 0x7fff_1000),
                                   memory: s.memory, modules: p.modules)
        // ...but the second step (same rule again) may not.
        #expect(bt.pcs.map(\.rawValue) == [S.rt(S.sameSP + 0x10), S.rt(S.sameSP + 0x11)])
        #expect(bt.stopReason == .stackNotGrowing(callee: 0x7fff_1000, caller: 0x7fff_1000))
        // Frame pointers pointing down the stack stop too.
        var s2 = StackBuilder(base: 0x7fff_1000, words: 64)
        s2[0x7fff_1080] = 0x7fff_1040          // caller fp below
        s2[0x7fff_1088] = 0x60_0010
        s2[0x7fff_1040] = 0x7fff_1000
        s2[0x7fff_1048] = 0x60_0020
        let bt2 = Unwinder().unwind(registers: .x86_64(rip: 0x60_0000, rsp: 0x7fff_1000, rbp: 0x7fff_1080),
                                    memory: s2.memory, modules: p.modules)
        #expect(bt2.pcs.map(\.rawValue) == [0x60_0000, 0x60_0010])
        #expect(bt2.stopReason == .noUnwindInfo(pc: 0x60_0010))  // fp below sp is refused
    }

    @Test func stopsOnCycleThroughSignalFrames() {
        // A signal frame whose saved context is itself: same pc and sp again.
        let sp: UInt64 = 0x7fff_2000
        var s = StackBuilder(base: 0x7fff_1000, words: 0x800)
        s[sp + 40 + 8 * 15] = sp
        s[sp + 40 + 8 * 16] = S.rt(S.restorer)
        let regs = UnwindRegisters.x86_64(rip: S.rt(S.restorer), rsp: sp)
        let bt = Unwinder().unwind(registers: regs, memory: s.memory, modules: p.modules)
        #expect(bt.stopReason == .cycle)
        #expect(bt.pcs.map(\.rawValue) == [S.rt(S.restorer)])
    }

    @Test func stopsOnReadFailure() {
        let s = StackBuilder(base: 0x7fff_1000, words: 4)
        let bt = Unwinder(options: .init(useFramePointers: false))
            .unwind(registers: .x86_64(rip: S.rt(S.leaf), rsp: 0x7fff_2000), memory: s.memory, modules: p.modules)
        #expect(bt.stopReason == .readFailed(0x7fff_2000))
        // A frame-pointer read failure.
        let bt2 = Unwinder().unwind(registers: .x86_64(rip: 0x60_0000, rsp: 0x7fff_1000, rbp: 0x7fff_5000),
                                    memory: s.memory, modules: p.modules)
        #expect(bt2.stopReason == .readFailed(0x7fff_5000))
    }

    @Test func stopsAtDepthLimit() {
        // A long frame-pointer chain cut at 3 frames.
        var s = StackBuilder(base: 0x7fff_1000, words: 256)
        var fp: UInt64 = 0x7fff_1010
        for i in 0..<20 {
            s[fp] = fp + 0x20
            s[fp + 8] = 0x60_0000 + UInt64(i) * 0x10
            fp += 0x20
        }
        let bt = Unwinder(options: .init(maxDepth: 3))
            .unwind(registers: .x86_64(rip: 0x60_0500, rsp: 0x7fff_1000, rbp: 0x7fff_1010), memory: s.memory, modules: p.modules)
        #expect(bt.stopReason == .depthLimit)
        #expect(bt.pcs.map(\.rawValue) == [0x60_0500, 0x60_0000, 0x60_0010])
        #expect(bt.frames.map(\.method) == [.initial, .framePointer, .framePointer])
    }

    @Test func stopsWithoutUnwindInfo() {
        let s = StackBuilder(base: 0x7fff_1000, words: 4)
        let bt = Unwinder().unwind(registers: .x86_64(rip: 0x60_0000, rsp: 0x7fff_1000), memory: s.memory, modules: p.modules)
        #expect(bt.stopReason == .noUnwindInfo(pc: 0x60_0000))
        let bt2 = Unwinder().unwind(registers: .x86_64(rip: 0x60_0000, rsp: 0x7fff_1000, rbp: 0),
                                    memory: s.memory, modules: p.modules)
        #expect(bt2.stopReason == .noUnwindInfo(pc: 0x60_0000))
    }

    @Test func registerUnavailableAndCFIErrors() {
        let s = StackBuilder(base: 0x7fff_1000, words: 4)
        let bt = Unwinder().unwind(registers: .x86_64(rip: S.rt(S.rbxCFA), rsp: 0x7fff_1000), memory: s.memory, modules: p.modules)
        #expect(bt.stopReason == .registerUnavailable(3))
        let bt2 = Unwinder().unwind(registers: .x86_64(rip: S.rt(S.broken), rsp: 0x7fff_1000), memory: s.memory, modules: p.modules)
        if case .cfiError(let e) = bt2.stopReason {
            #expect(e.kind == .unknownInstruction(0x3f))
        } else {
            Issue.record("expected a CFI error, got \(bt2.stopReason)")
        }
        // No pc or sp at all.
        var none = UnwindRegisters()
        none.sp = 0x7fff_1000
        #expect(Unwinder().unwind(registers: none, memory: s.memory, modules: p.modules).stopReason == .registerUnavailable(16))
    }

    @Test func brokenCFIFallsBackToFramePointer() {
        var s = StackBuilder(base: 0x7fff_1000, words: 16)
        s[0x7fff_1010] = 0x7fff_1030
        s[0x7fff_1018] = S.rt(S.start + 1)
        let bt = Unwinder().unwind(registers: .x86_64(rip: S.rt(S.broken), rsp: 0x7fff_1000, rbp: 0x7fff_1010),
                                   memory: s.memory, modules: p.modules)
        #expect(bt.pcs.map(\.rawValue) == [S.rt(S.broken), S.rt(S.start + 1)])
        #expect(bt.frames[1].method == .framePointer)
        #expect(bt.stopReason == .outermostFrame)
    }

    @Test func framePointerOnlyMode() {
        var s = StackBuilder(base: 0x7fff_1000, words: 16)
        s[0x7fff_1010] = 0
        s[0x7fff_1018] = S.rt(S.mid + 8)
        // With CFI, the leaf's CFA is rsp+8 (reading [rsp]); without, rbp is trusted.
        s[0x7fff_1000] = S.rt(S.outer + 8)
        let regs = UnwindRegisters.x86_64(rip: S.rt(S.leaf), rsp: 0x7fff_1000, rbp: 0x7fff_1010)
        let fpOnly = Unwinder(options: .init(maxDepth: 2, useCFI: false)).unwind(registers: regs, memory: s.memory, modules: p.modules)
        #expect(fpOnly.pcs.map(\.rawValue) == [S.rt(S.leaf), S.rt(S.mid + 8)])
        let cfi = Unwinder(options: .init(maxDepth: 2)).unwind(registers: regs, memory: s.memory, modules: p.modules)
        #expect(cfi.pcs.map(\.rawValue) == [S.rt(S.leaf), S.rt(S.outer + 8)])
    }

    /// A PLT stub: the CFA expression depends on where in the 16-byte entry rip is.
    @Test func unwindsThroughPLTExpression() throws {
        let plt: [UInt8] = [0x77, 0x08, 0x80, 0x00, 0x3f, 0x1a, 0x3b, 0x2a, 0x33, 0x24, 0x22]
        var b = CFIBuilder()
        var o = CFIBuilder.CIEOptions()
        o.instructions = CFA.defCFA(7, 16) + CFA.offset(16, 1)
        let c = b.cie(o)
        b.fde(cie: c, pc: 0xa000, range: 0x40, instructions: CFA.advance(6) + CFA.defCFAOffset(24) + CFA.advance(10)
              + CFA.defCFAExpression(plt))
        b.terminate()
        let t = makeTable(ehFrame: b.bytes)
        let modules = StaticModuleLookup([.init(range: 0xa000..<0xb000, unwindInfo: ModuleUnwindInfo(table: t, loadBias: .zero))])
        var s = StackBuilder(base: 0x7fff_0000, words: 8)
        s[0x7fff_0000] = 0xa800   // ret if CFA = rsp+8
        s[0x7fff_0008] = 0xa900   // ret if CFA = rsp+16
        // Entry 1 of the PLT starts at 0xa010: bytes 0–10 (jmp, push) then 11+ (jmp to PLT0 after the push).
        for (pc, ret) in [(UInt64(0xa010), UInt64(0xa800)), (0xa01a, 0xa800), (0xa01b, 0xa900), (0xa01f, 0xa900)] {
            let bt = Unwinder(options: .init(maxDepth: 2))
                .unwind(registers: .x86_64(rip: pc, rsp: 0x7fff_0000), memory: s.memory, modules: modules)
            #expect(bt.pcs.map(\.rawValue) == [pc, ret], "pc 0x\(String(pc, radix: 16))")
        }
    }

    @Test func rowCacheIsUsed() throws {
        let t = SyntheticProcess().table
        for _ in 0..<100 { _ = try t.row(for: FileAddress(S.mid + 0x10)) }
        let stats = t.cacheStatistics
        #expect(stats.misses == 1)
        #expect(stats.hits == 99)
    }
}
