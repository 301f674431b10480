import ELF

/// The DWARF expression stack machine, restricted to what call-frame
/// information may use. Corrupt expressions end in a `CFIError` (section
/// `.expression`, offset within the block), never a trap or an endless loop.
public enum DwarfExpression {
    public static let maxStack = 64
    public static let defaultMaxSteps = 10_000

    /// Evaluates `bytes` and returns the top of the stack.
    /// - initial: pushed before the first operation (the CFA, for register rules).
    /// - allowRegisterLocations: accept DW_OP_reg*/regx (pushing the value);
    ///   CFI forbids them, so by default they are an error.
    public static func evaluate(_ bytes: UnsafeRawBufferPointer, registers: UnwindRegisters,
                                memory: (any MemoryReader)?, initial: UInt64? = nil,
                                addressSize: Int = 8, maxSteps: Int = defaultMaxSteps,
                                allowRegisterLocations: Bool = false) throws(CFIError) -> UInt64 {
        let result = withUnsafeTemporaryAllocation(of: UInt64.self, capacity: maxStack) { stack in
            run(bytes, stack: stack, registers: registers, memory: memory, initial: initial,
                addressSize: addressSize, maxSteps: maxSteps, allowRegisterLocations: allowRegisterLocations)
        }
        return try result.get()
    }

    public static func evaluate(_ bytes: [UInt8], registers: UnwindRegisters, memory: (any MemoryReader)?,
                                initial: UInt64? = nil, addressSize: Int = 8,
                                maxSteps: Int = defaultMaxSteps,
                                allowRegisterLocations: Bool = false) throws(CFIError) -> UInt64 {
        let result = bytes.withUnsafeBytes { raw in
            Result<UInt64, CFIError> { () throws(CFIError) -> UInt64 in
                try evaluate(raw, registers: registers, memory: memory, initial: initial,
                             addressSize: addressSize, maxSteps: maxSteps,
                             allowRegisterLocations: allowRegisterLocations)
            }
        }
        return try result.get()
    }

    private static func run(_ bytes: UnsafeRawBufferPointer, stack: UnsafeMutableBufferPointer<UInt64>,
                            registers: UnwindRegisters, memory: (any MemoryReader)?, initial: UInt64?,
                            addressSize: Int, maxSteps: Int,
                            allowRegisterLocations: Bool) -> Result<UInt64, CFIError> {
        var c = CFICursor(bytes, section: .expression)
        var depth = 0
        var steps = 0
        var opOffset = 0

        func fail(_ kind: CFIError.Kind) -> Result<UInt64, CFIError> {
            .failure(CFIError(kind, section: .expression, offset: opOffset))
        }

        if let initial {
            stack[0] = initial
            depth = 1
        }

        do throws(CFIError) {
            while !c.isAtEnd {
                steps += 1
                if steps > maxSteps { return fail(.tooManySteps) }
                opOffset = c.offset
                let op = try c.u8()

                // Push / pop helpers are written inline so failures carry the op offset.
                var push: UInt64? = nil
                switch op {
                case 0x30...0x4f:  // lit0–31
                    push = UInt64(op - 0x30)
                case 0x03:  // addr
                    push = try c.value(format: 0, addressSize: addressSize, rawEncoding: 0)
                case 0x08: push = UInt64(try c.u8())
                case 0x09: push = UInt64(bitPattern: Int64(Int8(bitPattern: try c.u8())))
                case 0x0a: push = UInt64(try c.u16())
                case 0x0b: push = UInt64(bitPattern: Int64(Int16(bitPattern: try c.u16())))
                case 0x0c: push = UInt64(try c.u32())
                case 0x0d: push = UInt64(bitPattern: Int64(Int32(bitPattern: try c.u32())))
                case 0x0e, 0x0f: push = try c.u64()
                case 0x10: push = try c.uleb128()
                case 0x11: push = UInt64(bitPattern: try c.sleb128())
                case 0x12:  // dup
                    guard depth >= 1 else { return fail(.stackUnderflow) }
                    push = stack[depth - 1]
                case 0x13:  // drop
                    guard depth >= 1 else { return fail(.stackUnderflow) }
                    depth -= 1
                case 0x14:  // over
                    guard depth >= 2 else { return fail(.stackUnderflow) }
                    push = stack[depth - 2]
                case 0x15:  // pick
                    let i = Int(try c.u8())
                    guard i < depth else { return fail(.stackUnderflow) }
                    push = stack[depth - 1 - i]
                case 0x16:  // swap
                    guard depth >= 2 else { return fail(.stackUnderflow) }
                    stack.swapAt(depth - 1, depth - 2)
                case 0x17:  // rot: top three rotate, top goes third
                    guard depth >= 3 else { return fail(.stackUnderflow) }
                    let top = stack[depth - 1]
                    stack[depth - 1] = stack[depth - 2]
                    stack[depth - 2] = stack[depth - 3]
                    stack[depth - 3] = top
                case 0x06, 0x94:  // deref, deref_size
                    let size = op == 0x06 ? addressSize : Int(try c.u8())
                    guard depth >= 1 else { return fail(.stackUnderflow) }
                    guard size >= 1, size <= 8 else { return fail(.badLength(UInt64(size))) }
                    let address = stack[depth - 1]
                    guard let memory, let v = memory.readUnsigned(RuntimeAddress(address), size: size) else {
                        return fail(.memoryReadFailed(address))
                    }
                    stack[depth - 1] = v
                case 0x19:  // abs
                    guard depth >= 1 else { return fail(.stackUnderflow) }
                    let v = Int64(bitPattern: stack[depth - 1])
                    stack[depth - 1] = v < 0 ? 0 &- UInt64(bitPattern: v) : UInt64(bitPattern: v)
                case 0x1f:  // neg
                    guard depth >= 1 else { return fail(.stackUnderflow) }
                    stack[depth - 1] = 0 &- stack[depth - 1]
                case 0x20:  // not
                    guard depth >= 1 else { return fail(.stackUnderflow) }
                    stack[depth - 1] = ~stack[depth - 1]
                case 0x23:  // plus_uconst
                    let n = try c.uleb128()
                    guard depth >= 1 else { return fail(.stackUnderflow) }
                    stack[depth - 1] = stack[depth - 1] &+ n
                case 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x21, 0x22, 0x24, 0x25, 0x26, 0x27,
                     0x29, 0x2a, 0x2b, 0x2c, 0x2d, 0x2e:
                    guard depth >= 2 else { return fail(.stackUnderflow) }
                    let b = stack[depth - 1]  // top
                    let a = stack[depth - 2]  // second
                    let sa = Int64(bitPattern: a)
                    let sb = Int64(bitPattern: b)
                    let r: UInt64
                    switch op {
                    case 0x1a: r = a & b
                    case 0x1b:  // div (signed)
                        guard sb != 0 else { return fail(.divisionByZero) }
                        r = UInt64(bitPattern: sa.dividedReportingOverflow(by: sb).partialValue)
                    case 0x1c: r = a &- b
                    case 0x1d:  // mod (unsigned)
                        guard b != 0 else { return fail(.divisionByZero) }
                        r = a % b
                    case 0x1e: r = a &* b
                    case 0x21: r = a | b
                    case 0x22: r = a &+ b
                    case 0x24: r = b >= 64 ? 0 : a << b
                    case 0x25: r = b >= 64 ? 0 : a >> b
                    case 0x26: r = UInt64(bitPattern: b >= 64 ? (sa < 0 ? -1 : 0) : sa >> Int64(b))
                    case 0x27: r = a ^ b
                    case 0x29: r = sa == sb ? 1 : 0
                    case 0x2a: r = sa >= sb ? 1 : 0
                    case 0x2b: r = sa > sb ? 1 : 0
                    case 0x2c: r = sa <= sb ? 1 : 0
                    case 0x2d: r = sa < sb ? 1 : 0
                    default: r = sa != sb ? 1 : 0  // 0x2e ne
                    }
                    depth -= 1
                    stack[depth - 1] = r
                case 0x2f, 0x28:  // skip, bra
                    let delta = Int(Int16(bitPattern: try c.u16()))
                    var taken = true
                    if op == 0x28 {
                        guard depth >= 1 else { return fail(.stackUnderflow) }
                        depth -= 1
                        taken = stack[depth] != 0
                    }
                    if taken {
                        let target = c.offset + delta
                        guard target >= 0, target <= bytes.count else { return fail(.badBranch(target)) }
                        try c.seek(to: target)
                    }
                case 0x50...0x6f, 0x90:  // reg0–31, regx
                    let n = op == 0x90 ? try c.uleb128() : UInt64(op - 0x50)
                    guard allowRegisterLocations else { return fail(.registerLocationNotAllowed) }
                    guard n < 64, let v = registers[Int(n)] else { return fail(.registerUnavailable(Int(min(n, 9999)))) }
                    push = v
                case 0x70...0x8f, 0x92:  // breg0–31, bregx
                    let n = op == 0x92 ? try c.uleb128() : UInt64(op - 0x70)
                    let off = try c.sleb128()
                    guard n < 64, let v = registers[Int(n)] else { return fail(.registerUnavailable(Int(min(n, 9999)))) }
                    push = v &+ UInt64(bitPattern: off)
                case 0x96:  // nop
                    break
                default:
                    return fail(.unknownOperation(op))
                }
                if let v = push {
                    guard depth < stack.count else { return fail(.stackOverflow) }
                    stack[depth] = v
                    depth += 1
                }
            }
        } catch {
            return .failure(error)
        }
        guard depth >= 1 else { return .failure(CFIError(.emptyStack, section: .expression, offset: c.offset)) }
        return .success(stack[depth - 1])
    }
}
