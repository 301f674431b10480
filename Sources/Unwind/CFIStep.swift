import ELF

/// Applies one unwind row to a callee's registers to produce its caller's.
enum CFIStep {
    enum Outcome {
        case ok(cfa: UInt64)
        /// The return address is undefined: this is the outermost frame.
        case outermost
        case readFailed(RuntimeAddress)
        case registerUnavailable(Int)
        case expressionFailed(CFIError)
    }

    static func apply(_ row: UnwindRow, callee: UnwindRegisters, into caller: inout UnwindRegisters,
                      memory: some MemoryReader) -> Outcome {
        let arch = callee.architecture
        let cfa: UInt64
        switch row.cfa {
        case .undefined:
            return .expressionFailed(CFIError(.undefinedCFA, section: .expression, offset: 0))
        case .registerOffset(let r, let off):
            guard let v = callee[r] else { return .registerUnavailable(r) }
            cfa = v &+ UInt64(bitPattern: off)
        case .expression(let bytes):
            do { cfa = try DwarfExpression.evaluate(bytes, registers: callee, memory: memory) } catch {
                return .expressionFailed(error)
            }
        }

        let ra = row.returnAddressRegister
        switch row[ra] {
        case .undefined: return .outermost
        case .unspecified where ra == arch.programCounter: return .outermost
        default: break
        }

        caller.clear()
        for i in 0..<row.rules.count {
            let value: UInt64?
            switch row.rules[i] {
            case .unspecified:
                value = arch.calleeSaved & (1 << UInt64(i)) != 0 || i == ra ? callee[i] : nil
            case .undefined:
                value = nil
            case .sameValue:
                value = callee[i]
            case .offset(let n):
                let address = RuntimeAddress(cfa &+ UInt64(bitPattern: n))
                value = memory.readU64(address)
                if value == nil && i == ra { return .readFailed(address) }
            case .valOffset(let n):
                value = cfa &+ UInt64(bitPattern: n)
            case .register(let r):
                value = callee[r]
            case .expression(let bytes):
                do {
                    let address = RuntimeAddress(try DwarfExpression.evaluate(bytes, registers: callee, memory: memory, initial: cfa))
                    value = memory.readU64(address)
                    if value == nil && i == ra { return .readFailed(address) }
                } catch {
                    if i == ra { return .expressionFailed(error) }
                    value = nil
                }
            case .valExpression(let bytes):
                do {
                    value = try DwarfExpression.evaluate(bytes, registers: callee, memory: memory, initial: cfa)
                } catch {
                    if i == ra { return .expressionFailed(error) }
                    value = nil
                }
            }
            caller[i] = value
        }
        // The CFA is the caller's sp unless a rule restored sp itself (signal frames).
        switch row[arch.stackPointer] {
        case .offset, .valOffset, .register, .expression, .valExpression: break
        case .unspecified, .undefined, .sameValue: caller.sp = cfa
        }
        guard let returnAddress = caller[ra] else { return .registerUnavailable(ra) }
        caller.pc = returnAddress
        return .ok(cfa: cfa)
    }
}
