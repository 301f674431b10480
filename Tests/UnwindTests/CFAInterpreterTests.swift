import ELF
import Testing
@testable import Unwind

@Suite struct CFAInterpreterTests {
    func row(_ instructions: [UInt8], at pc: FileAddress, cie: CFIBuilder.CIEOptions = .init()) throws -> UnwindRow {
        let t = singleFDETable(cieOptions: cie, instructions: instructions)
        return try #require(try t.row(for: pc))
    }

    @Test func cieInitialRow() throws {
        let r = try row([], at: 0x1000)
        #expect(r.cfa == .registerOffset(register: 7, offset: 8))
        #expect(r[16] == .offset(-8))
        #expect(r[3] == .unspecified)
        #expect(r.returnAddressRegister == 16)
        #expect(r.pcRange == 0x1000..<0x1100)
        #expect(!r.isSignalFrame)
    }

    @Test func advanceLocCreatesRows() throws {
        // push rbp (1 byte); mov rbp,rsp (3 bytes); ... typical prologue
        let ins = CFA.advance(1) + CFA.defCFAOffset(16) + CFA.offset(6, 2)
            + CFA.advance(3) + CFA.defCFARegister(6)
            + CFA.advance1(0x20) + CFA.defCFA(7, 8)
        let r0 = try row(ins, at: 0x1000)
        #expect(r0.cfa == .registerOffset(register: 7, offset: 8))
        #expect(r0.pcRange == 0x1000..<0x1001)
        let r1 = try row(ins, at: 0x1001)
        #expect(r1.cfa == .registerOffset(register: 7, offset: 16))
        #expect(r1[6] == .offset(-16))
        #expect(r1.pcRange == 0x1001..<0x1004)
        let r2 = try row(ins, at: 0x1010)
        #expect(r2.cfa == .registerOffset(register: 6, offset: 16))
        #expect(r2.pcRange == 0x1004..<0x1024)
        let r3 = try row(ins, at: 0x10ff)
        #expect(r3.cfa == .registerOffset(register: 7, offset: 8))
        #expect(r3[6] == .offset(-16))
        #expect(r3.pcRange == 0x1024..<0x1100)
    }

    @Test func advanceForms() throws {
        let ins = CFA.advance2(0x10) + CFA.defCFAOffset(16) + CFA.advance4(0x10) + CFA.defCFAOffset(24)
        #expect(try row(ins, at: 0x100f).cfa == .registerOffset(register: 7, offset: 8))
        #expect(try row(ins, at: 0x1010).cfa == .registerOffset(register: 7, offset: 16))
        #expect(try row(ins, at: 0x1020).cfa == .registerOffset(register: 7, offset: 24))
        // Code alignment factor scales advances.
        var cie = CFIBuilder.CIEOptions()
        cie.codeAlign = 4
        let scaled = CFA.advance(2) + CFA.defCFAOffset(32)
        #expect(try row(scaled, at: 0x1007, cie: cie).cfa == .registerOffset(register: 7, offset: 8))
        #expect(try row(scaled, at: 0x1008, cie: cie).cfa == .registerOffset(register: 7, offset: 32))
        // MIPS advance_loc8 advances too.
        let mips: [UInt8] = [0x1d, 0x08, 0, 0, 0, 0, 0, 0, 0] + CFA.defCFAOffset(40)
        #expect(try row(mips, at: 0x1007).cfa == .registerOffset(register: 7, offset: 8))
        #expect(try row(mips, at: 0x1008).cfa == .registerOffset(register: 7, offset: 40))
    }

    @Test func setLoc() throws {
        // set_loc uses the FDE encoding (pcrel sdata4 here): compute relative to the operand.
        var b = CFIBuilder()
        let c = b.cie()
        // The FDE body: length(4) id(4) begin(4) range(4) auglen(1) then instructions.
        let fdeStart = UInt64(b.data.count)
        let operandAddress = b.address + fdeStart + 4 + 4 + 4 + 4 + 1 + 1
        var op = Bytes()
        op.u8(0x01)
        op.i32(Int32(0x1050 - Int64(operandAddress)))
        b.fde(cie: c, pc: 0x1000, range: 0x100, instructions: op.b + CFA.defCFAOffset(48))
        b.terminate()
        let t = makeTable(ehFrame: b.bytes)
        #expect(try t.row(for: 0x104f)?.cfa == .registerOffset(register: 7, offset: 8))
        #expect(try t.row(for: 0x1050)?.cfa == .registerOffset(register: 7, offset: 48))
    }

    @Test func registerRules() throws {
        let ins = CFA.offsetExtended(3, 3) + CFA.undefined(12) + CFA.sameValue(13)
            + CFA.register(14, 5) + CFA.offsetExtendedSF(15, 4) + CFA.valOffset(1, 2)
            + CFA.valOffsetSF(2, -2) + CFA.negativeOffsetExtended(4, 1)
            + CFA.expression(5, [0x70, 0x08]) + CFA.valExpression(8, [0x31])
        let r = try row(ins, at: 0x1000)
        #expect(r[3] == .offset(-24))
        #expect(r[12] == .undefined)
        #expect(r[13] == .sameValue)
        #expect(r[14] == .register(5))
        #expect(r[15] == .offset(-32))
        #expect(r[1] == .valOffset(-16))
        #expect(r[2] == .valOffset(16))
        #expect(r[4] == .offset(8))
        #expect(r[5] == .expression([0x70, 0x08]))
        #expect(r[8] == .valExpression([0x31]))
    }

    @Test func restoreGoesBackToCIE() throws {
        var cie = CFIBuilder.CIEOptions()
        cie.instructions += CFA.offset(3, 3)
        let ins = CFA.offset(3, 5) + CFA.offsetExtended(6, 2) + CFA.advance(1) + CFA.restore(3) + CFA.restoreExtended(6)
        #expect(try row(ins, at: 0x1000, cie: cie)[3] == .offset(-40))
        let r = try row(ins, at: 0x1001, cie: cie)
        #expect(r[3] == .offset(-24))
        #expect(r[6] == .unspecified)
    }

    @Test func rememberAndRestoreState() throws {
        // The epilogue pattern: remember, tear down, restore for the code after.
        let ins = CFA.advance(1) + CFA.defCFAOffset(16) + CFA.offset(6, 2)
            + CFA.advance(1) + CFA.rememberState + CFA.defCFAOffset(8) + CFA.restore(6)
            + CFA.advance(1) + CFA.restoreState
        let mid = try row(ins, at: 0x1002)
        #expect(mid.cfa == .registerOffset(register: 7, offset: 8))
        #expect(mid[6] == .unspecified)
        let after = try row(ins, at: 0x1003)
        #expect(after.cfa == .registerOffset(register: 7, offset: 16))
        #expect(after[6] == .offset(-16))
    }

    @Test func cfaForms() throws {
        #expect(try row(CFA.defCFASF(6, -2), at: 0x1000).cfa == .registerOffset(register: 6, offset: 16))
        #expect(try row(CFA.defCFAOffsetSF(-4), at: 0x1000).cfa == .registerOffset(register: 7, offset: 32))
        #expect(try row(CFA.defCFAExpression([0x77, 0x08, 0x06]), at: 0x1000).cfa == .expression([0x77, 0x08, 0x06]))
        #expect(try row(CFA.argsSize(32) + CFA.nop + CFA.nop, at: 0x1000).argsSize == 32)
    }

    @Test func cfaRuleErrors() throws {
        let ins = CFA.defCFAExpression([0x77, 0x08]) + CFA.defCFAOffset(8)
        #expect(throws: CFIError.self) { try row(ins, at: 0x1000) }
        let t = singleFDETable(instructions: CFA.restoreState)
        #expect {
            try t.row(for: 0x1000)
        } throws: { ($0 as? CFIError)?.kind == .restoreStateUnderflow }
        let deep = Array(repeating: CFA.rememberState, count: 100).flatMap { $0 }
        let t2 = singleFDETable(instructions: deep)
        #expect { try t2.row(for: 0x1000) } throws: { ($0 as? CFIError)?.kind == .rememberStateOverflow }
        let t3 = singleFDETable(instructions: [0x3f])
        #expect { try t3.row(for: 0x1000) } throws: { ($0 as? CFIError)?.kind == .unknownInstruction(0x3f) }
        let t4 = singleFDETable(instructions: CFA.defCFA(200, 8))
        #expect { try t4.row(for: 0x1000) } throws: { ($0 as? CFIError)?.kind == .registerOutOfRange(200) }
    }

    @Test func untrackedRegistersAreIgnored() throws {
        // xmm registers (17+) in rules do not fail the row.
        let r = try row(CFA.offsetExtended(20, 2) + CFA.sameValue(40), at: 0x1000)
        #expect(r.rules.count == 17)
        #expect(r[16] == .offset(-8))
    }

    @Test func signalFrameAugmentation() throws {
        var cie = CFIBuilder.CIEOptions()
        cie.augmentation = "zRS"
        #expect(try row([], at: 0x1000, cie: cie).isSignalFrame)
    }

    @Test func pcOutsideFDEIsNil() throws {
        let t = singleFDETable(instructions: [])
        #expect(try t.row(for: 0xfff) == nil)
        #expect(try t.row(for: 0x1100) == nil)
        #expect(try t.row(for: 0x10ff) != nil)
    }
}
