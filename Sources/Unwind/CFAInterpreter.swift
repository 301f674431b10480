import ELF

/// Runs DW_CFA instructions (the CIE's initial ones, then the FDE's) up to a
/// target pc and yields the row in force there.
struct CFAInterpreter {
    /// Deeper remember_state nesting than this is taken as corruption.
    static let maxStateDepth = 64

    let section: CFISection
    let cie: CommonInformationEntry
    let architecture: UnwindArchitecture
    let bases: PointerContext

    private struct State {
        var cfa: CFARule
        var rules: [RegisterRule]
    }

    /// The row covering `pc` in `fde` (pc outside the FDE yields its last or first row).
    func row(for fileAddress: FileAddress, fde: FrameDescriptionEntry) throws(CFIError) -> UnwindRow {
        // The instructions advance a plain location; all of it is in file addresses.
        let pc = fileAddress.rawValue
        let ra = cie.returnAddressRegister
        guard ra < UInt64(architecture.registerCount) else {
            throw CFIError(.registerOutOfRange(ra), section: section.kind, offset: cie.offset)
        }
        var state = State(cfa: .undefined,
                          rules: [RegisterRule](repeating: .unspecified, count: architecture.registerCount))
        var loc = fde.pcBegin.rawValue
        var end = fde.pcEnd.rawValue
        // The CIE's instructions set the initial rules; restore goes back to them.
        _ = try run(cie.instructions, state: &state, initial: nil, loc: &loc, target: pc, end: &end, argsSize: nil)
        let initial = state.rules
        loc = fde.pcBegin.rawValue
        end = fde.pcEnd.rawValue
        var argsSize: UInt64 = 0
        let start = try run(fde.instructions, state: &state, initial: initial, loc: &loc, target: pc,
                            end: &end, argsSize: &argsSize)
        return UnwindRow(pcRange: FileAddress(start) ..< FileAddress(max(start, end)), cfa: state.cfa, rules: state.rules,
                         returnAddressRegister: Int(ra), isSignalFrame: cie.isSignalFrame, argsSize: argsSize)
    }

    /// Executes `range`; stops before the first advance past `target`.
    /// Returns the start address of the row in force.
    private func run(_ range: Range<Int>, state: inout State, initial: [RegisterRule]?,
                     loc: inout UInt64, target: UInt64, end: inout UInt64,
                     argsSize: UnsafeMutablePointer<UInt64>?) throws(CFIError) -> UInt64 {
        let limited = UnsafeRawBufferPointer(rebasing: section.bytes[0..<range.upperBound])
        var c = CFICursor(limited, section: section.kind, offset: range.lowerBound)
        var stack: [State] = []
        let codeAlign = cie.codeAlignment
        let dataAlign = cie.dataAlignment
        let count = architecture.registerCount

        func reg(_ n: UInt64) -> Int? { n < UInt64(count) ? Int(n) : nil }
        func setRule(_ n: UInt64, _ rule: RegisterRule) {
            if let r = reg(n) { state.rules[r] = rule }
        }
        func restore(_ n: UInt64) {
            guard let r = reg(n) else { return }
            state.rules[r] = initial?[r] ?? .unspecified
        }
        // Moves to a new location; false when that passes the target pc.
        func advance(to newLoc: UInt64) -> Bool {
            if newLoc > target {
                end = newLoc
                return false
            }
            loc = newLoc
            return true
        }

        while !c.isAtEnd {
            let opOffset = c.offset
            let op = try c.u8()
            let low = UInt64(op & 0x3f)
            switch op >> 6 {
            case 1:  // DW_CFA_advance_loc
                if !advance(to: loc &+ low &* codeAlign) { return loc }
                continue
            case 2:  // DW_CFA_offset
                let off = Int64(bitPattern: try c.uleb128()) &* dataAlign
                setRule(low, .offset(off))
                continue
            case 3:  // DW_CFA_restore
                restore(low)
                continue
            default:
                break
            }
            switch op {
            case 0x00:  // nop
                break
            case 0x01:  // set_loc
                var ctx = bases
                ctx.sectionAddress = section.address.rawValue
                ctx.addressSize = cie.addressSize
                let newLoc = try c.pointer(cie.fdeEncoding, ctx)
                if !advance(to: newLoc) { return loc }
            case 0x02:
                if !advance(to: loc &+ UInt64(try c.u8()) &* codeAlign) { return loc }
            case 0x03:
                if !advance(to: loc &+ UInt64(try c.u16()) &* codeAlign) { return loc }
            case 0x04:
                if !advance(to: loc &+ UInt64(try c.u32()) &* codeAlign) { return loc }
            case 0x1d:  // DW_CFA_MIPS_advance_loc8
                if !advance(to: loc &+ (try c.u64()) &* codeAlign) { return loc }
            case 0x05:  // offset_extended
                let r = try c.uleb128()
                setRule(r, .offset(Int64(bitPattern: try c.uleb128()) &* dataAlign))
            case 0x06:  // restore_extended
                restore(try c.uleb128())
            case 0x07:  // undefined
                setRule(try c.uleb128(), .undefined)
            case 0x08:  // same_value
                setRule(try c.uleb128(), .sameValue)
            case 0x09:  // register
                let r = try c.uleb128()
                let source = try c.uleb128()
                if let s = reg(source) { setRule(r, .register(s)) } else { setRule(r, .undefined) }
            case 0x0a:  // remember_state
                guard stack.count < Self.maxStateDepth else { throw c.error(.rememberStateOverflow, at: opOffset) }
                stack.append(state)
            case 0x0b:  // restore_state
                guard let saved = stack.popLast() else { throw c.error(.restoreStateUnderflow, at: opOffset) }
                state = saved
            case 0x0c:  // def_cfa
                let r = try c.uleb128()
                let off = try c.uleb128()
                guard let rr = reg(r) else { throw c.error(.registerOutOfRange(r), at: opOffset) }
                state.cfa = .registerOffset(register: rr, offset: Int64(bitPattern: off))
            case 0x12:  // def_cfa_sf
                let r = try c.uleb128()
                let off = try c.sleb128() &* dataAlign
                guard let rr = reg(r) else { throw c.error(.registerOutOfRange(r), at: opOffset) }
                state.cfa = .registerOffset(register: rr, offset: off)
            case 0x0d:  // def_cfa_register
                let r = try c.uleb128()
                guard let rr = reg(r) else { throw c.error(.registerOutOfRange(r), at: opOffset) }
                switch state.cfa {
                case .registerOffset(_, let off): state.cfa = .registerOffset(register: rr, offset: off)
                case .undefined: state.cfa = .registerOffset(register: rr, offset: 0)
                case .expression: throw c.error(.cfaRuleNotRegister, at: opOffset)
                }
            case 0x0e, 0x13:  // def_cfa_offset, def_cfa_offset_sf
                let off = op == 0x0e ? Int64(bitPattern: try c.uleb128()) : try c.sleb128() &* dataAlign
                guard case .registerOffset(let r, _) = state.cfa else {
                    throw c.error(.cfaRuleNotRegister, at: opOffset)
                }
                state.cfa = .registerOffset(register: r, offset: off)
            case 0x0f:  // def_cfa_expression
                let n = try c.blockLength()
                state.cfa = .expression(Array(try c.bytes(n)))
            case 0x10, 0x16:  // expression, val_expression
                let r = try c.uleb128()
                let n = try c.blockLength()
                let block = Array(try c.bytes(n))
                setRule(r, op == 0x10 ? .expression(block) : .valExpression(block))
            case 0x11:  // offset_extended_sf
                let r = try c.uleb128()
                setRule(r, .offset(try c.sleb128() &* dataAlign))
            case 0x14:  // val_offset
                let r = try c.uleb128()
                setRule(r, .valOffset(Int64(bitPattern: try c.uleb128()) &* dataAlign))
            case 0x15:  // val_offset_sf
                let r = try c.uleb128()
                setRule(r, .valOffset(try c.sleb128() &* dataAlign))
            case 0x2d:  // GNU_window_save (SPARC) / AARCH64_negate_ra_state: nothing to track
                break
            case 0x2e:  // GNU_args_size
                let n = try c.uleb128()
                argsSize?.pointee = n
            case 0x2f:  // GNU_negative_offset_extended
                let r = try c.uleb128()
                setRule(r, .offset(0 &- (Int64(bitPattern: try c.uleb128()) &* dataAlign)))
            default:
                throw c.error(.unknownInstruction(op), at: opOffset)
            }
        }
        return loc
    }
}
