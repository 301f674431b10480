/// The operand layout of an opcode in 64-bit mode: what follows the opcode
/// byte, as far as the instruction's length goes. Intel SDM vol. 2, appendix A.
enum OperandLayout: UInt8 {
    case none
    case invalid
    /// A legacy prefix or REX; handled before the opcode table.
    case prefix
    /// The 0F escape (legacy map only).
    case escape
    /// C4, C5, 62: VEX and EVEX in 64-bit mode.
    case vexOrEvex
    case modRM
    case imm8
    /// imm16 or imm32 by operand size: 66 makes it imm16 unless REX.W.
    case immZ
    case imm16
    case modRMImm8
    case modRMImmZ
    case rel8
    /// rel32 always: Intel ignores 66 on near branches in 64-bit mode.
    case rel32
    /// A0–A3: a 64-bit absolute address, 32-bit with 67.
    case moffs
    /// B8–BF: imm64 with REX.W, else like immZ.
    case immV
    /// 0F 20–23, MOV to or from a control or debug register: ModRM always
    /// names registers, whatever its mod says (no SIB, no displacement).
    case modRMRegistersOnly
    /// F6/F7: TEST /0 and /1 take an immediate, the other group-3 ops do not.
    case group3
    /// C8 ENTER imm16, imm8.
    case enter
    /// 0F 78: VMREAD, or with 66/F2 SSE4a EXTRQ/INSERTQ (imm8, imm8).
    case sse4aOrVmread
}

enum OpcodeTables {
    /// Legacy map, one letter per opcode, rows of 16 (see `layout(_:)`).
    static let oneByte: [OperandLayout] = table("""
        mmmmbzxxmmmmbzxe
        mmmmbzxxmmmmbzxx
        mmmmbzpxmmmmbzpx
        mmmmbzpxmmmmbzpx
        pppppppppppppppp
        ................
        xxvmppppzZbM....
        rrrrrrrrrrrrrrrr
        MZxMmmmmmmmmmmmm
        ..........x.....
        oooo....bz......
        bbbbbbbbqqqqqqqq
        MMw.vvMZc.w..bx.
        mmmmxxx.mmmmmmmm
        rrrrbbbbRRxr....
        p.pp..tt......mm
        """)

    /// 0F map. 0F 0F is 3DNow!: ModRM then an imm8 that selects the
    /// operation. 0F 38 and 0F 3A escape further (all ModRM; 0F 3A with imm8).
    static let twoByte: [OperandLayout] = table("""
        mmmmx.....x.xm.M
        mmmmmmmmmmmmmmmm
        ggggxxxxmmmmmmmm
        ......x.exexxxxx
        mmmmmmmmmmmmmmmm
        mmmmmmmmmmmmmmmm
        mmmmmmmmmmmmmmmm
        MMMMmmm.smxxmmmm
        RRRRRRRRRRRRRRRR
        mmmmmmmmmmmmmmmm
        ...mMmmm...mMmmm
        mmmmmmmmmmMmmmmm
        mmMmMMMm........
        mmmmmmmmmmmmmmmm
        mmmmmmmmmmmmmmmm
        mmmmmmmmmmmmmmmm
        """)

    private static func table(_ rows: String) -> [OperandLayout] {
        let letters = rows.filter { !$0.isWhitespace }
        precondition(letters.count == 256, "an opcode table has 256 entries")
        return letters.map(layout)
    }

    private static func layout(_ letter: Character) -> OperandLayout {
        switch letter {
        case ".": .none
        case "x": .invalid
        case "p": .prefix
        case "e": .escape
        case "v": .vexOrEvex
        case "m": .modRM
        case "b": .imm8
        case "z": .immZ
        case "w": .imm16
        case "M": .modRMImm8
        case "Z": .modRMImmZ
        case "r": .rel8
        case "R": .rel32
        case "o": .moffs
        case "q": .immV
        case "t": .group3
        case "c": .enter
        case "s": .sse4aOrVmread
        case "g": .modRMRegistersOnly
        default: preconditionFailure("unknown opcode table letter \(letter)")
        }
    }
}
