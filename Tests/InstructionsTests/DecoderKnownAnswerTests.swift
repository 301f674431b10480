import Instructions
import Testing

/// Lengths and fields from the SDM's rules, one encoding per rule, where
/// real code (the objdump tests) may not show every case.
@Suite struct DecoderKnownAnswerTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let bytes: [UInt8]
        let length: Int
        let rule: String
        var testDescription: String { rule }
    }

    static let cases: [Case] = [
        Case(bytes: [0x48, 0xB8, 1, 2, 3, 4, 5, 6, 7, 8], length: 10, rule: "B8+r with REX.W: imm64"),
        Case(bytes: [0xB8, 1, 2, 3, 4], length: 5, rule: "B8+r: imm32"),
        Case(bytes: [0x66, 0xB8, 1, 2], length: 4, rule: "66 B8+r: imm16"),
        Case(bytes: [0x66, 0x48, 0xB8, 1, 2, 3, 4, 5, 6, 7, 8], length: 11, rule: "REX.W wins over 66"),
        Case(bytes: [0x48, 0x66, 0xB8, 1, 2], length: 5, rule: "a REX before a legacy prefix is ignored"),
        Case(bytes: [0xA0, 1, 2, 3, 4, 5, 6, 7, 8], length: 9, rule: "A0 moffs64"),
        Case(bytes: [0x67, 0xA3, 1, 2, 3, 4], length: 6, rule: "67 A3 moffs32"),
        Case(bytes: [0x48, 0xC7, 0xC0, 1, 2, 3, 4], length: 7, rule: "REX.W C7 /0: imm32 sign-extended"),
        Case(bytes: [0x66, 0xC7, 0x00, 1, 2], length: 5, rule: "66 C7 /0: imm16"),
        Case(bytes: [0x48, 0x81, 0xEC, 8, 1, 0, 0], length: 7, rule: "81 /5: imm32"),
        Case(bytes: [0x66, 0x81, 0xC0, 1, 2], length: 5, rule: "66 81: imm16"),
        Case(bytes: [0xF6, 0xC0, 1], length: 3, rule: "F6 /0 test: imm8"),
        Case(bytes: [0xF6, 0xC8, 1], length: 3, rule: "F6 /1 test: imm8"),
        Case(bytes: [0xF6, 0xD0], length: 2, rule: "F6 /2 not: no immediate"),
        Case(bytes: [0xF7, 0x40, 8, 1, 2, 3, 4], length: 7, rule: "F7 /0 with disp8: imm32"),
        Case(bytes: [0x66, 0xF7, 0xC0, 1, 2], length: 5, rule: "66 F7 /0: imm16"),
        Case(bytes: [0xF7, 0xF9], length: 2, rule: "F7 /7 idiv: no immediate"),
        Case(bytes: [0xC8, 0x10, 0x00, 0x01], length: 4, rule: "C8 enter imm16, imm8"),
        Case(bytes: [0xC2, 0x08, 0x00], length: 3, rule: "C2 ret imm16"),
        Case(bytes: [0xCA, 0x08, 0x00], length: 3, rule: "CA far ret imm16"),
        Case(bytes: [0x66, 0xE8, 1, 2, 3, 4], length: 6, rule: "66 E8: rel32 as on Intel"),
        Case(bytes: [0x66, 0x0F, 0x3A, 0x0F, 0xC1, 0x08], length: 6, rule: "0F 3A: imm8"),
        Case(bytes: [0x66, 0x0F, 0x38, 0x00, 0xC1], length: 5, rule: "0F 38: no immediate"),
        Case(bytes: [0x0F, 0x0F, 0xC1, 0xB4], length: 4, rule: "3DNow!: ModRM, imm8"),
        Case(bytes: [0x8B, 0x04, 0x25, 1, 2, 3, 4], length: 7, rule: "SIB base 101 with mod 00: disp32"),
        Case(bytes: [0x8B, 0x44, 0x24, 0x08], length: 4, rule: "SIB with disp8"),
        Case(bytes: [0x8B, 0x84, 0x24, 1, 2, 3, 4], length: 7, rule: "SIB with disp32"),
        Case(bytes: [0x41, 0x8B, 0x45, 0x00], length: 4, rule: "r13 base needs disp8"),
        Case(bytes: [0x0F, 0x20, 0x00], length: 3, rule: "mov from cr: ModRM names registers whatever mod"),
        Case(bytes: [0xC5, 0xF8, 0x77], length: 3, rule: "vzeroupper: VEX without ModRM"),
        Case(bytes: [0xC5, 0xF9, 0x70, 0xC1, 0x1B], length: 5, rule: "VEX 0F 70 vpshufd: imm8"),
        Case(bytes: [0xC4, 0xE3, 0x79, 0x0F, 0xC1, 0x08], length: 6, rule: "VEX 0F 3A: imm8"),
        Case(bytes: [0xC4, 0xE2, 0x79, 0x00, 0x05, 1, 2, 3, 4], length: 9, rule: "VEX 0F 38 RIP-relative"),
        Case(bytes: [0x62, 0xF1, 0x7C, 0x48, 0x28, 0x44, 0x24, 0x01], length: 8, rule: "EVEX disp8 (compressed)"),
        Case(bytes: [0x62, 0xF3, 0x7D, 0x48, 0x25, 0xC1, 0x96], length: 7, rule: "EVEX 0F 3A vpternlogd: imm8"),
        Case(bytes: [0x8F, 0xE8, 0x78, 0xC0, 0xC1, 0x05], length: 6, rule: "XOP map 8: imm8"),
        Case(bytes: [0x8F, 0xEA, 0x78, 0x10, 0xC1, 1, 2, 3, 4], length: 9, rule: "XOP map A: imm32"),
        Case(bytes: [0x8F, 0xC0], length: 2, rule: "8F /0 with map < 8: pop"),
        Case(bytes: [0x66, 0x0F, 0x78, 0xC1, 0x04, 0x08], length: 6, rule: "SSE4a extrq: two imm8"),
        Case(bytes: [0x0F, 0x78, 0xC1], length: 3, rule: "vmread: none"),
        Case(bytes: [0x66, 0x66, 0x2E, 0x0F, 0x1F, 0x84, 0, 0, 0, 0, 0], length: 11, rule: "repeated prefixes"),
        Case(bytes: [0xC7, 0xF8, 1, 2, 3, 4], length: 6, rule: "XBEGIN rel32"),
    ]

    @Test(arguments: cases) func length(of known: Case) throws {
        let instruction = try InstructionDecoder.decode(known.bytes + [0x90, 0x90])
        #expect(instruction.length == known.length)
    }

    static let invalidIn64BitMode: [UInt8] = [
        0x06, 0x07, 0x0E, 0x16, 0x17, 0x1E, 0x1F, 0x27, 0x2F, 0x37, 0x3F, 0x60, 0x61, 0x82, 0x9A, 0xCE, 0xD4, 0xD5, 0xD6, 0xEA,
    ]

    @Test(arguments: invalidIn64BitMode) func invalidOpcode(_ opcode: UInt8) {
        #expect(throws: DecodingError.invalidOpcode(offset: 1)) {
            try InstructionDecoder.decode([0x66, opcode, 0, 0, 0, 0, 0, 0, 0])
        }
    }

    @Test func limits() {
        #expect(throws: DecodingError.truncated) { try InstructionDecoder.decode([]) }
        #expect(throws: DecodingError.truncated) { try InstructionDecoder.decode([0xE8, 0, 0, 0]) }
        #expect(throws: DecodingError.truncated) { try InstructionDecoder.decode([0x66, 0x66]) }
        #expect(throws: DecodingError.tooLong) {
            try InstructionDecoder.decode([UInt8](repeating: 0x66, count: 14) + [0x05, 1, 2])
        }
        #expect(throws: DecodingError.invalidOpcode(offset: 1)) { try InstructionDecoder.decode([0x48, 0xC5, 0xF8, 0x77]) }
        let fifteen = [UInt8](repeating: 0x2E, count: 10) + [0x05, 1, 2, 3, 4]
        #expect((try? InstructionDecoder.decode(fifteen))?.length == 15)
    }

    @Test func fieldsAndKinds() throws {
        // cmp byte [rip+0x10], 0x42: disp32 at 2, the imm8 after it.
        let compare = try InstructionDecoder.decode([0x80, 0x3D, 0x10, 0, 0, 0, 0x42])
        #expect(compare.ripDisplacement?.offset == 2 && compare.ripDisplacement?.value == 0x10)
        #expect(compare.ripRelativeTarget(at: 0x1000) == 0x1017)
        #expect(compare.modRMOffset == 1)
        // No SIB: rm 101 with a SIB byte is not RIP-relative.
        #expect(try InstructionDecoder.decode([0x8B, 0x04, 0x25, 1, 2, 3, 4]).ripDisplacement == nil)
        #expect(try InstructionDecoder.decode([0x41, 0x8B, 0x05, 1, 2, 3, 4]).ripDisplacement != nil, "r13 encoding, still RIP")
        // EVEX RIP-relative: vmovaps zmm0, [rip-4].
        let evex = try InstructionDecoder.decode([0x62, 0xF1, 0x7C, 0x48, 0x28, 0x05, 0xFC, 0xFF, 0xFF, 0xFF])
        #expect(evex.length == 10 && evex.opcodeOffset == 4)
        #expect(evex.ripDisplacement?.offset == 6 && evex.ripDisplacement?.value == -4)

        let kinds: [([UInt8], InstructionKind, UInt64?)] = [
            ([0xEB, 0xFE], .relativeJump, 0x1000),
            ([0xE9, 0x00, 0x01, 0, 0], .relativeJump, 0x1105),
            ([0x75, 0x10], .conditionalJump(condition: 5), 0x1012),
            ([0x0F, 0x8C, 0xF0, 0xFF, 0xFF, 0xFF], .conditionalJump(condition: 12), 0xFF6),
            ([0xE8, 0, 0, 0, 0], .relativeCall, 0x1005),
            ([0xE0, 0x02], .loop, 0x1004), ([0xE3, 0x02], .loop, 0x1004),
            ([0xFF, 0xD0], .indirectCall, nil), ([0xFF, 0x15, 0, 0, 0, 0], .indirectCall, nil),
            ([0xFF, 0x18], .farIndirectCall, nil),
            ([0xFF, 0xE0], .indirectJump, nil), ([0xFF, 0x28], .indirectJump, nil),
            ([0xC3], .ret, nil), ([0xC2, 8, 0], .ret, nil),
            ([0xC7, 0xF8, 0x10, 0, 0, 0], .transactionBegin, 0x1016),
            ([0xFF, 0xC0], .other, nil), ([0x0F, 0x05], .other, nil),
        ]
        for (bytes, kind, target) in kinds {
            let instruction = try InstructionDecoder.decode(bytes)
            #expect(instruction.kind == kind, "\(bytes)")
            #expect(instruction.relativeTarget(at: 0x1000) == target, "\(bytes)")
        }
    }
}
