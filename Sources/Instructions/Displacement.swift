/// Builds displaced copies (see `DisplacedCopy`).
///
/// What each kind of instruction becomes at the copy's address:
/// - most instructions: their bytes (a RIP-relative disp32 re-aimed at the
///   same byte), then `jmp rel32` back to the instruction after the original;
/// - jmp rel8/rel32: `jmp rel32` to the target;
/// - jcc rel8/rel32: `jcc rel32` to the target, then `jmp rel32` back;
/// - loop/loope/loopne/jrcxz: the same opcode, its rel8 over a `jmp` back
///   onto a `jmp` to the target;
/// - call rel32 and call r/m (FF /2): the original's return address pushed
///   by hand (no flags, no register but rsp), then a jump to the callee;
/// - ret and indirect jumps: their bytes alone, since they never fall through.
/// Branch hint and BND prefixes on relative branches are dropped.
public enum Displacement {
    /// - bytes: at least the instruction's bytes from `originalAddress` (15
    ///   bytes, or fewer at the end of readable memory).
    public static func copy(
        of bytes: [UInt8], at originalAddress: UInt64, to copyAddress: UInt64
    ) throws(DisplacementError) -> DisplacedCopy {
        let instruction: DecodedInstruction
        do {
            instruction = try InstructionDecoder.decode(bytes)
        } catch {
            throw .undecodable(bytes: Array(bytes.prefix(InstructionDecoder.maximumLength)))
        }
        let original = Array(bytes.prefix(instruction.length))
        let next = instruction.end(at: originalAddress)
        var code = CodeBuffer(address: copyAddress)

        switch instruction.kind {
        case .relativeJump:
            try code.jump(to: instruction.relativeTarget(at: originalAddress)!)
        case .conditionalJump(let condition):
            try code.conditionalJump(condition, to: instruction.relativeTarget(at: originalAddress)!)
            try code.jump(to: next)
        case .loop:
            // Prefixes stay: 67 makes the loop count ecx instead of rcx.
            code.append(original[..<(instruction.opcodeOffset + 1)])
            code.append([5])  // over the jmp back, onto the jmp to the target
            try code.jump(to: next)
            try code.jump(to: instruction.relativeTarget(at: originalAddress)!)
        case .relativeCall:
            code.pushReturnAddress(next)
            try code.jump(to: instruction.relativeTarget(at: originalAddress)!)
        case .indirectCall:
            if usesStackPointer(instruction, original) {
                throw .unsupported(why: "an indirect call through rsp: the pushed return address would move what it reads")
            }
            code.pushReturnAddress(next)
            var jump = original
            // FF /2 (call) becomes FF /4 (jmp) with the same operand.
            jump[instruction.modRMOffset!] = (jump[instruction.modRMOffset!] & 0xC7) | (4 << 3)
            try code.relocated(jump, instruction, from: originalAddress)
        case .farIndirectCall:
            throw .unsupported(why: "a far call")
        case .transactionBegin:
            throw .unsupported(why: "XBEGIN, whose abort address is relative and whose transaction a trap aborts")
        case .ret, .indirectJump:
            try code.relocated(original, instruction, from: originalAddress)
        case .other:
            try code.relocated(original, instruction, from: originalAddress)
            try code.jump(to: next)
        }
        precondition(code.bytes.count <= DisplacedCopy.maximumLength, "a displaced copy outgrew its room")
        return DisplacedCopy(instructionLength: instruction.length, code: code.bytes)
    }

    /// Whether an FF /2's operand reads rsp, which the hand-made push moves
    /// before the jump reads it: `call rsp`, or rsp as a SIB base (rsp is
    /// never an index). rm=100 with REX.B is r12, not rsp.
    private static func usesStackPointer(_ instruction: DecodedInstruction, _ bytes: [UInt8]) -> Bool {
        guard let modRMOffset = instruction.modRMOffset else { return false }
        let modRM = bytes[modRMOffset]
        let mod = modRM >> 6
        let rexB = (instruction.rex ?? 0) & 1 != 0
        guard modRM & 7 == 4, !rexB else { return false }
        if mod == 3 { return true }
        let sib = bytes[modRMOffset + 1]
        let noBase = mod == 0 && sib & 7 == 5
        return sib & 7 == 4 && !noBase
    }
}

/// Code being laid out at a known address.
private struct CodeBuffer {
    let address: UInt64
    var bytes: [UInt8] = []

    init(address: UInt64) {
        self.address = address
        bytes.reserveCapacity(DisplacedCopy.maximumLength)
    }

    private var here: UInt64 { address &+ UInt64(bytes.count) }

    mutating func append(_ more: some Sequence<UInt8>) { bytes.append(contentsOf: more) }

    /// E9 rel32.
    mutating func jump(to target: UInt64) throws(DisplacementError) {
        let rel = try Self.rel32(from: here &+ 5, to: target)
        append([0xE9])
        appendLittleEndian(UInt32(bitPattern: rel))
    }

    /// 0F 8x rel32.
    mutating func conditionalJump(_ condition: UInt8, to target: UInt64) throws(DisplacementError) {
        let rel = try Self.rel32(from: here &+ 6, to: target)
        append([0x0F, 0x80 | condition])
        appendLittleEndian(UInt32(bitPattern: rel))
    }

    /// What a call pushes, without touching flags or any register but rsp:
    /// lea rsp, [rsp-8]; mov dword [rsp], low; mov dword [rsp+4], high.
    mutating func pushReturnAddress(_ returnAddress: UInt64) {
        append([0x48, 0x8D, 0x64, 0x24, 0xF8])
        append([0xC7, 0x04, 0x24])
        appendLittleEndian(UInt32(truncatingIfNeeded: returnAddress))
        append([0xC7, 0x44, 0x24, 0x04])
        appendLittleEndian(UInt32(truncatingIfNeeded: returnAddress >> 32))
    }

    /// The instruction's bytes placed here, its RIP-relative disp32 (if any)
    /// re-aimed so it addresses what it did at `originalAddress`.
    mutating func relocated(
        _ original: [UInt8], _ instruction: DecodedInstruction, from originalAddress: UInt64
    ) throws(DisplacementError) {
        var copied = original
        if let displacement = instruction.ripDisplacement {
            if instruction.hasAddressSizePrefix {
                throw .unsupported(why: "an EIP-relative operand (address-size prefix), which a copy cannot keep below 4 GiB")
            }
            let target = instruction.ripRelativeTarget(at: originalAddress)!
            // Relative to the copied instruction's end, past any immediate.
            let rel = try Self.rel32(from: here &+ UInt64(instruction.length), to: target)
            let value = UInt32(bitPattern: rel)
            for index in 0..<4 { copied[displacement.offset + index] = UInt8(truncatingIfNeeded: value >> (8 * index)) }
        }
        append(copied)
    }

    private mutating func appendLittleEndian(_ value: UInt32) {
        for index in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * index))) }
    }

    /// The rel32 that reaches `target` from the end of an instruction at `end`.
    private static func rel32(from end: UInt64, to target: UInt64) throws(DisplacementError) -> Int32 {
        let distance = Int64(bitPattern: target &- end)
        guard let rel = Int32(exactly: distance) else { throw .outOfReach(target: target) }
        return rel
    }
}
