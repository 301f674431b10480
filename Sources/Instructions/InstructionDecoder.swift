/// The length decoder for x86_64 in 64-bit mode: lengths and the
/// position-dependent fields of one instruction, not its meaning.
///
/// Covers legacy prefixes, REX, the 1-byte, 0F, 0F 38, 0F 3A and 3DNow!
/// maps, VEX, EVEX and XOP. Where Intel and AMD differ on lengths (66 on a
/// near branch) it decodes as Intel does, and as objdump does.
public enum InstructionDecoder {
    /// The processor raises #GP on longer instructions.
    public static let maximumLength = 15

    /// Decodes the instruction at the start of `bytes`; more bytes than the
    /// instruction takes may follow.
    public static func decode(_ bytes: [UInt8]) throws(DecodingError) -> DecodedInstruction {
        try bytes.withUnsafeBufferPointer { buffer throws(DecodingError) in try decode(buffer) }
    }

    public static func decode(_ bytes: UnsafeBufferPointer<UInt8>) throws(DecodingError) -> DecodedInstruction {
        var decoding = Decoding(bytes: bytes)
        return try decoding.run()
    }
}

/// One decode in progress: a cursor over the bytes and what the prefixes said.
private struct Decoding {
    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0
    var rex: UInt8?
    var operandSizePrefix = false
    var addressSizePrefix = false
    var repeatPrefix = false  // F3
    var repeatNotPrefix = false  // F2
    var lockPrefix = false

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    private var rexW: Bool { (rex ?? 0) & 0x08 != 0 }

    /// The byte at `offset`: the instruction cannot reach past 15 bytes or
    /// past the end of what we were given.
    private func byte(at offset: Int) throws(DecodingError) -> UInt8 {
        guard offset < InstructionDecoder.maximumLength else { throw .tooLong }
        guard offset < bytes.count else { throw .truncated }
        return bytes[offset]
    }

    /// Checks the instruction's last byte exists.
    private func end(at offset: Int) throws(DecodingError) -> Int {
        if offset > 0 { _ = try byte(at: offset - 1) }
        return offset
    }

    mutating func run() throws(DecodingError) -> DecodedInstruction {
        try readPrefixes()
        let opcode = try byte(at: position)
        switch OpcodeTables.oneByte[Int(opcode)] {
        case .escape: return try legacyEscaped()
        case .vexOrEvex: return try vexOrEvex(opcode)
        default:
            if opcode == 0x8F, try byte(at: position + 1) & 0x1F >= 8 { return try xop() }
            return try legacyOneByte(opcode)
        }
    }

    private mutating func readPrefixes() throws(DecodingError) {
        while true {
            let value = try byte(at: position)
            guard OpcodeTables.oneByte[Int(value)] == .prefix else { return }
            switch value {
            case 0x40...0x4F: rex = value
            case 0x66: operandSizePrefix = true; rex = nil
            case 0x67: addressSizePrefix = true; rex = nil
            case 0xF3: repeatPrefix = true; rex = nil
            case 0xF2: repeatNotPrefix = true; rex = nil
            case 0xF0: lockPrefix = true; rex = nil
            default: rex = nil  // segment overrides; a REX before a legacy prefix is ignored
            }
            position += 1
        }
    }

    // MARK: legacy maps

    private mutating func legacyOneByte(_ opcode: UInt8) throws(DecodingError) -> DecodedInstruction {
        let opcodeOffset = position
        let layout = OpcodeTables.oneByte[Int(opcode)]
        var kind = InstructionKind.other
        switch opcode {
        case 0xEB, 0xE9: kind = .relativeJump
        case 0x70...0x7F: kind = .conditionalJump(condition: opcode & 0x0F)
        case 0xE8: kind = .relativeCall
        case 0xE0...0xE3: kind = .loop
        case 0xC3, 0xC2: kind = .ret
        default: break
        }
        var instruction = try operands(layout, opcode: opcode, opcodeOffset: opcodeOffset, kind: kind)
        if opcode == 0xFF, let modRM = instruction.modRM {
            switch (modRM >> 3) & 7 {
            case 2: instruction.kind = .indirectCall
            case 3: instruction.kind = .farIndirectCall
            case 4, 5: instruction.kind = .indirectJump
            default: break
            }
        }
        if opcode == 0xC7, instruction.modRM == 0xF8 {
            // XBEGIN's "immediate" is the relative abort address.
            instruction.kind = .transactionBegin
            instruction.relativeField = instruction.immediateField
        }
        return try instruction.finish(self)
    }

    /// After 0F: the two-byte map, 0F 38, 0F 3A.
    private mutating func legacyEscaped() throws(DecodingError) -> DecodedInstruction {
        let second = try byte(at: position + 1)
        switch second {
        case 0x38:
            position += 2
            return try operands(.modRM, opcode: 0x38, opcodeOffset: position, kind: .other).finish(self)
        case 0x3A:
            position += 2
            return try operands(.modRMImm8, opcode: 0x3A, opcodeOffset: position, kind: .other).finish(self)
        default:
            position += 1
            let layout = OpcodeTables.twoByte[Int(second)]
            let kind: InstructionKind = (0x80...0x8F).contains(second) ? .conditionalJump(condition: second & 0x0F) : .other
            var instruction = try operands(layout, opcode: second, opcodeOffset: position, kind: kind)
            if layout == .sse4aOrVmread, operandSizePrefix || repeatNotPrefix {
                // SSE4a EXTRQ/INSERTQ: two imm8 (length and index).
                instruction.end = try end(at: instruction.end + 2)
            }
            return try instruction.finish(self)
        }
    }

    /// The operands after a legacy opcode byte at `opcodeOffset`.
    private func operands(
        _ layout: OperandLayout, opcode: UInt8, opcodeOffset: Int, kind: InstructionKind
    ) throws(DecodingError) -> PartialInstruction {
        var instruction = PartialInstruction(opcodeOffset: opcodeOffset, end: opcodeOffset + 1, kind: kind)
        let immZ = operandSizePrefix && !rexW ? 2 : 4
        switch layout {
        case .none: break
        case .invalid, .prefix, .escape, .vexOrEvex: throw .invalidOpcode(offset: opcodeOffset)
        case .modRM, .sse4aOrVmread: try instruction.readModRM(self)
        case .modRMRegistersOnly: try instruction.readModRM(self, registersOnly: true)
        case .imm8: instruction.addImmediate(1)
        case .immZ: instruction.addImmediate(immZ)
        case .imm16: instruction.addImmediate(2)
        case .modRMImm8: try instruction.readModRM(self); instruction.addImmediate(1)
        case .modRMImmZ: try instruction.readModRM(self); instruction.addImmediate(immZ)
        case .rel8: instruction.addRelative(1)
        case .rel32: instruction.addRelative(4)
        case .moffs: instruction.addImmediate(addressSizePrefix ? 4 : 8)
        case .immV: instruction.addImmediate(rexW ? 8 : immZ)
        case .group3:
            try instruction.readModRM(self)
            if let modRM = instruction.modRM, (modRM >> 3) & 7 < 2 {
                instruction.addImmediate(opcode == 0xF6 ? 1 : immZ)
            }
        case .enter: instruction.addImmediate(3)
        }
        instruction.end = try end(at: instruction.end)
        return instruction
    }

    /// The little-endian field at `offset`, sign-extended.
    fileprivate func signedValue(at offset: Int, size: Int) throws(DecodingError) -> Int64 {
        var value: UInt64 = 0
        for index in 0..<size { value |= UInt64(try byte(at: offset + index)) << (8 * index) }
        let unused = UInt64(64 - 8 * size)
        return Int64(bitPattern: value << unused) >> unused
    }

    // MARK: VEX, EVEX, XOP

    private mutating func vexOrEvex(_ escape: UInt8) throws(DecodingError) -> DecodedInstruction {
        // REX or a mandatory-prefix byte before VEX/EVEX is #UD.
        if rex != nil || operandSizePrefix || repeatPrefix || repeatNotPrefix || lockPrefix {
            throw .invalidOpcode(offset: position)
        }
        let map: UInt8
        switch escape {
        case 0xC5:
            map = 1
            position += 2
        case 0xC4:
            map = try byte(at: position + 1) & 0x1F
            guard (1...3).contains(map) else { throw .invalidOpcode(offset: position + 1) }
            position += 3
        default:  // 62, EVEX
            map = try byte(at: position + 1) & 0x07
            // Maps 5 and 6 are AVX512-FP16's; 4 and 7 are reserved (APX).
            guard map != 0, map != 4, map != 7 else { throw .invalidOpcode(offset: position + 1) }
            position += 4
        }
        let opcode = try byte(at: position)
        var instruction = PartialInstruction(opcodeOffset: position, end: position + 1, kind: .other)
        // VZEROUPPER and VZEROALL are the only VEX instructions without ModRM.
        if !(escape != 0x62 && map == 1 && opcode == 0x77) { try instruction.readModRM(self) }
        if map == 3 || (map == 1 && Self.takesImm8InMap1(opcode)) { instruction.addImmediate(1) }
        instruction.end = try end(at: instruction.end)
        return try instruction.finish(self)
    }

    /// The 0F-map opcodes that keep their imm8 under VEX and EVEX: shifts
    /// and shuffles (70–73), compares (C2), pinsrw/pextrw/shufps (C4–C6).
    private static func takesImm8InMap1(_ opcode: UInt8) -> Bool {
        switch opcode {
        case 0x70...0x73, 0xC2, 0xC4...0xC6: true
        default: false
        }
    }

    /// AMD XOP: 8F with a map field of 8 or more (below 8 it is POP r/m).
    private mutating func xop() throws(DecodingError) -> DecodedInstruction {
        if rex != nil || operandSizePrefix || repeatPrefix || repeatNotPrefix || lockPrefix {
            throw .invalidOpcode(offset: position)
        }
        let map = try byte(at: position + 1) & 0x1F
        guard (8...10).contains(map) else { throw .invalidOpcode(offset: position + 1) }
        position += 3
        _ = try byte(at: position)
        var instruction = PartialInstruction(opcodeOffset: position, end: position + 1, kind: .other)
        try instruction.readModRM(self)
        if map == 8 { instruction.addImmediate(1) }
        if map == 10 { instruction.addImmediate(4) }
        instruction.end = try end(at: instruction.end)
        return try instruction.finish(self)
    }

    fileprivate func byteValue(at offset: Int) throws(DecodingError) -> UInt8 { try byte(at: offset) }
}

/// An instruction whose fields are being found, end growing as they are.
private struct PartialInstruction {
    let opcodeOffset: Int
    var end: Int
    var kind: InstructionKind
    var modRMOffset: Int?
    var modRM: UInt8?
    var ripDisplacementOffset: Int?
    var relativeField: (offset: Int, size: Int)?
    var immediateField: (offset: Int, size: Int)?

    /// ModRM at `end`, then SIB and displacement as its mod and rm say.
    /// 64-bit and 32-bit addressing share this layout; there is no 16-bit
    /// addressing in 64-bit mode.
    mutating func readModRM(_ decoding: Decoding, registersOnly: Bool = false) throws(DecodingError) {
        let value = try decoding.byteValue(at: end)
        modRMOffset = end
        modRM = value
        end += 1
        let mod = value >> 6
        let rm = value & 7
        if mod == 3 || registersOnly { return }
        if rm == 4 {
            let sib = try decoding.byteValue(at: end)
            end += 1
            if mod == 0 && sib & 7 == 5 { end += 4 }
        } else if mod == 0 && rm == 5 {
            ripDisplacementOffset = end
            end += 4
            return
        }
        if mod == 1 { end += 1 }
        if mod == 2 { end += 4 }
    }

    mutating func addImmediate(_ size: Int) {
        immediateField = (end, size)
        end += size
    }

    mutating func addRelative(_ size: Int) {
        relativeField = (end, size)
        end += size
    }

    func finish(_ decoding: Decoding) throws(DecodingError) -> DecodedInstruction {
        var ripDisplacement: DecodedInstruction.Displacement32?
        if let offset = ripDisplacementOffset {
            let value = try decoding.signedValue(at: offset, size: 4)
            ripDisplacement = .init(offset: offset, value: Int32(truncatingIfNeeded: value))
        }
        var branch: DecodedInstruction.RelativeBranch?
        if let field = relativeField {
            branch = .init(offset: field.offset, size: field.size, value: try decoding.signedValue(at: field.offset, size: field.size))
        }
        return DecodedInstruction(
            length: end, opcodeOffset: opcodeOffset, modRMOffset: modRMOffset,
            ripDisplacement: ripDisplacement, relativeBranch: branch, rex: decoding.rex,
            hasAddressSizePrefix: decoding.addressSizePrefix, kind: kind)
    }
}
