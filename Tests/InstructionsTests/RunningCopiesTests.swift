import Instructions
import Testing

/// Displaced copies run for real: an original snippet and a copy of one of
/// its instructions sit in one executable mapping, the copy 28 KiB before or
/// 16 KiB after the snippet; calling into the copy must do what calling the
/// original does. Unused bytes are int3, so a copy that jumps astray traps.
@Suite struct RunningCopiesTests {
    static let copyOffsets = [0x1000, 0xC000]
    /// CF, PF, AF, ZF, SF, OF.
    static let arithmeticFlags: UInt64 = 0x8D5

    @Test(arguments: copyOffsets) func leaRipRelative(copyOffset: Int) throws {
        let lab = CodeLab()
        let target = lab.data + 0x10
        lab.write([0x48, 0x8D, 0x05] + rel32(from: lab.snippet + 7, to: target) + [0xC3], at: CodeLab.snippetOffset)
        let copy = try lab.placeCopy(ofSnippetAt: 0, at: copyOffset)
        #expect(copy.instructionLength == 7)
        #expect(lab.call(lab.snippet) == target)
        #expect(lab.call(lab.address(copyOffset)) == target)
    }

    @Test(arguments: copyOffsets) func movFromRipRelative(copyOffset: Int) throws {
        let lab = CodeLab()
        lab.write64(0x1122_3344_DEAD_BEEF, at: CodeLab.dataOffset + 0x20)
        // mov eax, [rip+d]; ret   and   mov rax, [rip+d]; ret
        lab.write([0x8B, 0x05] + rel32(from: lab.snippet + 6, to: lab.data + 0x20) + [0xC3], at: CodeLab.snippetOffset)
        lab.write([0x48, 0x8B, 0x05] + rel32(from: lab.snippet + 0x17, to: lab.data + 0x20) + [0xC3], at: CodeLab.snippetOffset + 0x10)
        try lab.placeCopy(ofSnippetAt: 0, at: copyOffset)
        try lab.placeCopy(ofSnippetAt: 0x10, at: copyOffset + 0x40)
        #expect(lab.call(lab.snippet) == 0xDEAD_BEEF)
        #expect(lab.call(lab.address(copyOffset)) == 0xDEAD_BEEF)
        #expect(lab.call(lab.address(copyOffset + 0x40)) == 0x1122_3344_DEAD_BEEF)
    }

    /// cmp byte [rip+d], 0x42 has its imm8 after the displacement, so the
    /// disp32 counts from past the immediate; je after it reads the flags the
    /// copy left.
    @Test(arguments: copyOffsets) func ripRelativeCompareThenConditionalJump(copyOffset: Int) throws {
        let lab = CodeLab()
        lab.write(
            [0x80, 0x3D] + rel32(from: lab.snippet + 7, to: lab.data + 0x30) + [0x42]  // cmp byte [rip+d], 0x42
                + [0x74, 0x06]  // je +6
                + [0xB8, 1, 0, 0, 0, 0xC3]  // mov eax, 1; ret
                + [0xB8, 2, 0, 0, 0, 0xC3],  // mov eax, 2; ret
            at: CodeLab.snippetOffset)
        try lab.placeCopy(ofSnippetAt: 0, at: copyOffset)
        try lab.placeCopy(ofSnippetAt: 7, at: copyOffset + 0x40)
        // The je alone: flags from cmp dil, 0x42 in a stub.
        let compareDIL: [UInt8] = [0x40, 0x80, 0xFF, 0x42]
        let viaOriginalJcc = lab.stub(compareDIL, thenJumpTo: lab.snippet + 7)
        let viaCopiedJcc = lab.stub(compareDIL, thenJumpTo: lab.address(copyOffset + 0x40))
        for (value, expected) in [(UInt8(0x42), UInt64(2)), (0x41, 1), (0x43, 1)] {
            lab.write([value], at: CodeLab.dataOffset + 0x30)
            #expect(lab.call(lab.snippet) == expected)
            #expect(lab.call(lab.address(copyOffset)) == expected)
            #expect(lab.call(viaOriginalJcc, rdi: UInt64(value)) == expected)
            #expect(lab.call(viaCopiedJcc, rdi: UInt64(value)) == expected)
        }
    }

    /// je rel32, falling through to code that returns the flags: the copy
    /// must leave them as the cmp set them, on both paths.
    @Test(arguments: copyOffsets) func conditionalJumpRel32KeepsFlags(copyOffset: Int) throws {
        let lab = CodeLab()
        lab.write(
            [0x0F, 0x84, 6, 0, 0, 0]  // je +6
                + [0x9C, 0x58, 0xC3, 0xCC, 0xCC, 0xCC]  // pushfq; pop rax; ret
                + [0xB8, 2, 0, 0, 0, 0xC3],  // mov eax, 2; ret
            at: CodeLab.snippetOffset)
        let copy = try lab.placeCopy(ofSnippetAt: 0, at: copyOffset)
        #expect(copy.code.count == 11)
        let compareRDI5: [UInt8] = [0x48, 0x83, 0xFF, 0x05]
        let original = lab.stub(compareRDI5, thenJumpTo: lab.snippet)
        let copied = lab.stub(compareRDI5, thenJumpTo: lab.address(copyOffset))
        #expect(lab.call(original, rdi: 5) == 2)
        #expect(lab.call(copied, rdi: 5) == 2)
        // 2 - 5 sets CF, AF and SF; ZF clear, so je falls through.
        let flags = lab.call(copied, rdi: 2) & Self.arithmeticFlags
        #expect(flags == 0x91)
        #expect(lab.call(original, rdi: 2) & Self.arithmeticFlags == flags)
    }

    @Test(arguments: copyOffsets) func jumpRel8ForwardAndBack(copyOffset: Int) throws {
        let lab = CodeLab()
        lab.write(
            [0xEB, 0x06]  // 0: jmp 8
                + [0xB8, 9, 0, 0, 0, 0xC3]  // 2: mov eax, 9; ret
                + [0xEB, 0xF8]  // 8: jmp 2
                + [0xB8, 10, 0, 0, 0, 0xC3],  // 10: mov eax, 10; ret
            at: CodeLab.snippetOffset)
        try lab.placeCopy(ofSnippetAt: 0, at: copyOffset)
        try lab.placeCopy(ofSnippetAt: 8, at: copyOffset + 0x40)
        #expect(lab.call(lab.snippet) == 9)
        #expect(lab.call(lab.address(copyOffset)) == 9)
        #expect(lab.call(lab.address(copyOffset + 0x40)) == 9)
    }

    /// The callee records its return address, its rsp and the flags; the
    /// code after the call records rsp again and returns.
    private static func writeRecordingCallee(_ lab: CodeLab, at offset: Int) {
        lab.write(
            [0x48, 0x8B, 0x04, 0x24]  // mov rax, [rsp]
                + [0x48, 0x89, 0x06]  // mov [rsi], rax
                + [0x48, 0x89, 0x66, 0x08]  // mov [rsi+8], rsp
                + [0x9C, 0x58, 0x48, 0x89, 0x46, 0x18]  // pushfq; pop rax; mov [rsi+24], rax
                + [0xB8, 42, 0, 0, 0, 0xC3],  // mov eax, 42; ret
            at: offset)
    }

    /// After the call: mov [rsi+16], rsp; ret.
    private static let recordStackAfterCall: [UInt8] = [0x48, 0x89, 0x66, 0x10, 0xC3]
    /// cmp rdi, rdi; stc: ZF, PF and CF set before the call, no register touched.
    private static let setFlags: [UInt8] = [0x48, 0x39, 0xFF, 0xF9]

    private func expectCallRecords(
        _ lab: CodeLab, entry: UInt64, returnAddress: UInt64, rdi: UInt64 = 0
    ) -> UInt64 {
        var out = [UInt64](repeating: 0, count: 4)
        let result = out.withUnsafeMutableBufferPointer { lab.call(entry, rdi: rdi, out: $0.baseAddress!) }
        #expect(result == 42)
        #expect(out[0] == returnAddress)
        #expect(out[2] &- out[1] == 8, "rsp in the callee is one word below rsp after the call")
        #expect(out[3] & 0x41 == 0x41, "CF and ZF from before the call reach the callee")
        return out[3] & Self.arithmeticFlags
    }

    @Test(arguments: copyOffsets) func callRel32(copyOffset: Int) throws {
        let lab = CodeLab()
        let calleeOffset = CodeLab.snippetOffset + 0x40
        lab.write([0xE8] + rel32(from: lab.snippet + 5, to: lab.address(calleeOffset)) + Self.recordStackAfterCall, at: CodeLab.snippetOffset)
        Self.writeRecordingCallee(lab, at: calleeOffset)
        try lab.placeCopy(ofSnippetAt: 0, at: copyOffset)
        let original = lab.stub(Self.setFlags, thenJumpTo: lab.snippet)
        let copied = lab.stub(Self.setFlags, thenJumpTo: lab.address(copyOffset))
        let originalFlags = expectCallRecords(lab, entry: original, returnAddress: lab.snippet + 5)
        let copiedFlags = expectCallRecords(lab, entry: copied, returnAddress: lab.snippet + 5)
        #expect(originalFlags == copiedFlags)
    }

    @Test(arguments: copyOffsets) func indirectCalls(copyOffset: Int) throws {
        let lab = CodeLab()
        let calleeOffset = CodeLab.snippetOffset + 0x400
        let callee = lab.address(calleeOffset)
        Self.writeRecordingCallee(lab, at: calleeOffset)
        lab.write64(callee, at: CodeLab.dataOffset + 0x40)
        // call [rip+d]
        lab.write([0xFF, 0x15] + rel32(from: lab.snippet + 6, to: lab.data + 0x40) + Self.recordStackAfterCall, at: CodeLab.snippetOffset)
        // call r11
        lab.write([0x41, 0xFF, 0xD3] + Self.recordStackAfterCall, at: CodeLab.snippetOffset + 0x40)
        // call [rax+8]
        lab.write([0xFF, 0x50, 0x08] + Self.recordStackAfterCall, at: CodeLab.snippetOffset + 0x80)
        try lab.placeCopy(ofSnippetAt: 0, at: copyOffset)
        try lab.placeCopy(ofSnippetAt: 0x40, at: copyOffset + 0x40)
        try lab.placeCopy(ofSnippetAt: 0x80, at: copyOffset + 0x80)
        let loadR11: [UInt8] = [0x49, 0xBB] + (0..<8).map { UInt8(truncatingIfNeeded: callee >> (8 * $0)) }
        let slot = lab.data + 0x38
        let loadRAX: [UInt8] = [0x48, 0xB8] + (0..<8).map { UInt8(truncatingIfNeeded: slot >> (8 * $0)) }
        let cases: [(setup: [UInt8], offset: Int, length: UInt64)] = [
            (Self.setFlags, 0, 6), (loadR11 + Self.setFlags, 0x40, 3), (loadRAX + Self.setFlags, 0x80, 3),
        ]
        for (setup, offset, length) in cases {
            let returnAddress = lab.snippet + UInt64(offset) + length
            let original = lab.stub(setup, thenJumpTo: lab.snippet + UInt64(offset))
            let copied = lab.stub(setup, thenJumpTo: lab.address(copyOffset + offset))
            let originalFlags = expectCallRecords(lab, entry: original, returnAddress: returnAddress)
            let copiedFlags = expectCallRecords(lab, entry: copied, returnAddress: returnAddress)
            #expect(originalFlags == copiedFlags)
        }
    }

    @Test(arguments: copyOffsets) func jrcxzBothWays(copyOffset: Int) throws {
        let lab = CodeLab()
        lab.write([0xE3, 0x06] + [0xB8, 1, 0, 0, 0, 0xC3] + [0xB8, 2, 0, 0, 0, 0xC3], at: CodeLab.snippetOffset)
        try lab.placeCopy(ofSnippetAt: 0, at: copyOffset)
        let moveRDIToRCX: [UInt8] = [0x48, 0x89, 0xF9]
        let original = lab.stub(moveRDIToRCX, thenJumpTo: lab.snippet)
        let copied = lab.stub(moveRDIToRCX, thenJumpTo: lab.address(copyOffset))
        for (rcx, expected) in [(UInt64(0), UInt64(2)), (5, 1), (1 << 32, 1)] {
            #expect(lab.call(original, rdi: rcx) == expected)
            #expect(lab.call(copied, rdi: rcx) == expected)
        }
    }

    /// loop, and loop with 67 (counts ecx: the prefix must survive).
    @Test(arguments: copyOffsets) func loopBothWays(copyOffset: Int) throws {
        let lab = CodeLab()
        let returnRCX: [UInt8] = [0x48, 0x89, 0xC8, 0xC3]  // mov rax, rcx; ret
        let returnRCXPlus1000: [UInt8] = [0x48, 0x89, 0xC8, 0x48, 0x05, 0xE8, 0x03, 0, 0, 0xC3]
        lab.write([0xE2, 0x06] + returnRCX + [0xCC, 0xCC] + returnRCXPlus1000, at: CodeLab.snippetOffset)
        lab.write([0x67, 0xE2, 0x06] + returnRCX + [0xCC, 0xCC] + returnRCXPlus1000, at: CodeLab.snippetOffset + 0x40)
        try lab.placeCopy(ofSnippetAt: 0, at: copyOffset)
        try lab.placeCopy(ofSnippetAt: 0x40, at: copyOffset + 0x40)
        let moveRDIToRCX: [UInt8] = [0x48, 0x89, 0xF9]
        let cases: [(offset: Int, rcx: UInt64, taken: Bool)] = [
            (0, 1, false), (0, 5, true), (0, 0x1_0000_0001, true),
            (0x40, 1, false), (0x40, 5, true), (0x40, 0x1_0000_0001, false),
        ]
        for (offset, rcx, taken) in cases {
            let original = lab.call(lab.stub(moveRDIToRCX, thenJumpTo: lab.snippet + UInt64(offset)), rdi: rcx)
            let copied = lab.call(lab.stub(moveRDIToRCX, thenJumpTo: lab.address(copyOffset + offset)), rdi: rcx)
            #expect(copied == original)
            #expect((copied & 0xFFFF_FFFF >= 1000) == taken, "rcx \(rcx) at +\(offset)")
        }
    }

    /// endbr64; push rbp; mov rbp, rsp; sub rsp, 0x20; sub rsp, 0x108; ...:
    /// each prologue instruction copied, what comes before it run by a stub.
    @Test(arguments: copyOffsets) func prologueInstructions(copyOffset: Int) throws {
        let lab = CodeLab()
        let function: [UInt8] =
            [0xF3, 0x0F, 0x1E, 0xFA]  // 0: endbr64
            + [0x55]  // 4: push rbp
            + [0x48, 0x89, 0xE5]  // 5: mov rbp, rsp
            + [0x48, 0x83, 0xEC, 0x20]  // 8: sub rsp, 0x20
            + [0x48, 0x81, 0xEC, 0x08, 0x01, 0, 0]  // 12: sub rsp, 0x108
            + [0x48, 0x89, 0x7D, 0xF8]  // 19: mov [rbp-8], rdi
            + [0x48, 0x8B, 0x45, 0xF8]  // 23: mov rax, [rbp-8]
            + [0x48, 0x89, 0xE1, 0x48, 0x29, 0xE9, 0x48, 0x89, 0x0E]  // rcx = rsp - rbp; mov [rsi], rcx
            + [0x48, 0x01, 0xC0, 0xC9, 0xC3]  // add rax, rax; leave; ret
        lab.write(function, at: CodeLab.snippetOffset)
        for start in [0, 4, 5, 8, 12, 19, 23] {
            let copy = try lab.placeCopy(ofSnippetAt: start, at: copyOffset + 2 * start)
            #expect(copy.code.count == copy.instructionLength + 5)
            let entry = lab.stub(Array(function[..<start]), thenJumpTo: lab.address(copyOffset + 2 * start))
            var out: [UInt64] = [0]
            let result = out.withUnsafeMutableBufferPointer { lab.call(entry, rdi: 21, out: $0.baseAddress!) }
            #expect(result == 42, "copy of the instruction at +\(start)")
            #expect(Int64(bitPattern: out[0]) == -0x128, "copy of the instruction at +\(start)")
        }
    }
}
