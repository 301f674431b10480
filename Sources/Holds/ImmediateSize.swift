/// How many immediate bytes follow a RIP-relative displacement, from the
/// opcode just before the ModRM byte.
///
/// Trying every size (0, 1, 2, 4) makes `cmpl $0, next(%rip)` look like an
/// access to the last bytes of the variable before `next`, and adjacent flags
/// are common, so the opcode decides when it is one we know. The instruction
/// start is unknown (no full decode), so the opcode is guessed from the bytes
/// right before the ModRM: `0F 38 op`, `0F 3A op`, `0F op`, or `op`.
enum ImmediateSize {
    /// The immediate's size, or nil when the bytes before `modrm` are not an
    /// opcode we know to take a ModRM (VEX/EVEX forms, or not an instruction).
    static func at(_ modrm: Int, in bytes: UnsafeRawBufferPointer) -> Int? {
        guard modrm >= 1 else { return nil }
        let opcode = bytes[modrm - 1]
        if modrm >= 3, bytes[modrm - 3] == 0x0F {
            if bytes[modrm - 2] == 0x38 { return 0 }
            if bytes[modrm - 2] == 0x3A { return 1 }
        }
        if modrm >= 2, bytes[modrm - 2] == 0x0F { return twoByte(opcode) }
        return oneByte(opcode, reg: (bytes[modrm] >> 3) & 7, operandSize16: hasOperandSizePrefix(before: modrm - 1, in: bytes))
    }

    /// 0x66 right before the opcode, or before its REX prefix.
    private static func hasOperandSizePrefix(before opcode: Int, in bytes: UnsafeRawBufferPointer) -> Bool {
        var at = opcode - 1
        if at >= 0, bytes[at] & 0xF0 == 0x40 { at -= 1 }
        return at >= 0 && bytes[at] == 0x66
    }

    private static func oneByte(_ opcode: UInt8, reg: UInt8, operandSize16: Bool) -> Int? {
        let full = operandSize16 ? 2 : 4  // imm16/imm32, never imm64 with a ModRM
        switch opcode {
        case 0x00 ... 0x3F where opcode & 0x07 <= 3: return 0  // ALU r/m forms
        case 0x63: return 0                                    // movsxd
        case 0x69, 0x81, 0xC7: return full
        case 0x6B, 0x80, 0x83, 0xC0, 0xC1, 0xC6: return 1
        case 0x84 ... 0x8F: return 0                           // test, xchg, mov, lea, pop
        case 0xD0 ... 0xD3, 0xD8 ... 0xDF: return 0            // shifts by 1/cl, x87
        case 0xF6: return reg <= 1 ? 1 : 0                     // test imm8, or not/neg/mul/div
        case 0xF7: return reg <= 1 ? full : 0
        case 0xFE, 0xFF: return 0                              // inc, dec, call, jmp, push
        default: return nil
        }
    }

    private static func twoByte(_ opcode: UInt8) -> Int? {
        switch opcode {
        case 0x70 ... 0x73, 0xA4, 0xAC, 0xBA, 0xC2, 0xC4 ... 0xC6: return 1
        // No ModRM: the byte after them is not one.
        case 0x05 ... 0x0B, 0x0E, 0x30 ... 0x37, 0x77, 0x80 ... 0x8F, 0xA0 ... 0xA2, 0xA8 ... 0xAA, 0xC8 ... 0xCF:
            return nil
        default: return 0
        }
    }
}
