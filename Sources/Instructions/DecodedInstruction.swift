/// What a displaced copy needs to know about one instruction: how long it
/// is, where its position-dependent fields are, and what kind of control
/// transfer it makes. Offsets count from the instruction's first byte.
public struct DecodedInstruction: Equatable, Sendable {
    /// Bytes in the instruction, prefixes included (1...15).
    public let length: Int
    /// Where the opcode byte is (after legacy prefixes, REX, VEX/EVEX/XOP);
    /// for two- and three-byte opcodes, the last opcode byte.
    public let opcodeOffset: Int
    /// Where the ModRM byte is, if the instruction has one.
    public let modRMOffset: Int?
    /// The disp32 of a RIP-relative memory operand (mod=00, rm=101), if any.
    public let ripDisplacement: Displacement32?
    /// A rel8/rel16/rel32 branch displacement, if the instruction has one.
    public let relativeBranch: RelativeBranch?
    /// The REX byte, if one sits right before the opcode.
    public let rex: UInt8?
    /// An address-size prefix (67) is present: ecx for loops, a 32-bit
    /// effective address (RIP-relative becomes EIP-relative).
    public let hasAddressSizePrefix: Bool
    public let kind: InstructionKind

    public struct Displacement32: Equatable, Sendable {
        /// Where the four bytes are in the instruction.
        public let offset: Int
        public let value: Int32
    }

    public struct RelativeBranch: Equatable, Sendable {
        /// Where the displacement is in the instruction.
        public let offset: Int
        /// 1, 2 (XBEGIN with 66) or 4 bytes.
        public let size: Int
        public let value: Int64
    }

    /// Where a relative branch at `address` goes, or nil if it is none.
    public func relativeTarget(at address: UInt64) -> UInt64? {
        guard let branch = relativeBranch else { return nil }
        return end(at: address) &+ UInt64(bitPattern: branch.value)
    }

    /// What the RIP-relative memory operand of the instruction at `address`
    /// addresses (relative to the instruction's end), or nil if none.
    public func ripRelativeTarget(at address: UInt64) -> UInt64? {
        guard let displacement = ripDisplacement else { return nil }
        return end(at: address) &+ UInt64(bitPattern: Int64(displacement.value))
    }

    /// The address after the instruction: where it falls through to.
    public func end(at address: UInt64) -> UInt64 { address &+ UInt64(length) }
}

/// The control transfers a displaced copy treats differently.
public enum InstructionKind: Equatable, Sendable {
    /// EB rel8, E9 rel32.
    case relativeJump
    /// 70–7F rel8, 0F 80–8F rel32; `condition` is the low nibble (tttn).
    case conditionalJump(condition: UInt8)
    /// E8 rel32.
    case relativeCall
    /// E0 loopne, E1 loope, E2 loop, E3 jrcxz/jecxz: rel8 only.
    case loop
    /// FF /2: call near through a register or memory.
    case indirectCall
    /// FF /3: call far through memory.
    case farIndirectCall
    /// FF /4 near, FF /5 far.
    case indirectJump
    /// C3, C2 imm16.
    case ret
    /// C7 F8: XBEGIN, whose abort address is relative.
    case transactionBegin
    case other
}

/// Why bytes do not decode as one x86_64 instruction.
public enum DecodingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The bytes end before the instruction does.
    case truncated
    /// The byte at `offset` is no valid opcode (or prefix) in 64-bit mode.
    case invalidOpcode(offset: Int)
    /// More than 15 bytes: the processor raises #GP.
    case tooLong

    public var description: String {
        switch self {
        case .truncated: "the bytes end inside the instruction"
        case .invalidOpcode(let offset): "no valid 64-bit opcode at byte \(offset)"
        case .tooLong: "longer than 15 bytes"
        }
    }
}
