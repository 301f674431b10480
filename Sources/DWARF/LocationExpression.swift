import ELF
import Unwind

/// Where a value is, as a location expression says: in memory, in a
/// register, computed (DW_OP_stack_value, DW_OP_implicit_value), or in
/// pieces of those. Each piece has a size in bytes; nil is "the whole value".
enum ValueLocation: Equatable {
    case memory(UInt64)
    case register(Int)
    case value(UInt64)
    case implicit([UInt8])
    /// Not there (DW_OP_piece with nothing before it, an empty expression).
    case optimizedOut
}

struct LocatedPiece: Equatable {
    var location: ValueLocation
    var size: Int?
}

/// Why an expression gave no location; every one prints `<optimized out>`.
struct LocationError: Error, Equatable {
    var offset: Int
    var what: String
}

/// The DWARF expression machine for variable locations (DWARF 5 section
/// 2.5-2.6, with gcc's GNU opcodes): a flat opcode switch, a bounded
/// stack and step count, wrapping arithmetic, and the op's offset in every
/// error, so damaged bytes end in an error, never a trap or a hang.
enum LocationExpression {
    static let maxStack = 64
    static let maxSteps = 10_000
    /// DW_OP_entry_value inside DW_OP_entry_value: gdb refuses it too.
    static let maxEntryDepth = 1

    struct Context {
        var frame: ArgumentFrame
        /// DW_AT_frame_base's address, for DW_OP_fbreg.
        var frameBase: UInt64?
        var addressSize: Int = 8
        /// Added to DW_OP_addr's file address: where the module was loaded.
        var addressBias: UInt64 = 0
        /// DW_OP_addrx and DW_OP_constx: the unit's .debug_addr entry.
        var addressAtIndex: (UInt64) -> UInt64? = { _ in nil }
    }

    static func evaluate(_ bytes: UnsafeRawBufferPointer, _ context: Context) throws(LocationError) -> [LocatedPiece] {
        guard !bytes.isEmpty else { return [LocatedPiece(location: .optimizedOut, size: nil)] }
        // Most locations are one register (DW_OP_regN): no machine needed.
        if bytes.count == 1, (0x50...0x6f).contains(bytes[0]) {
            return [LocatedPiece(location: .register(Int(bytes[0] - 0x50)), size: nil)]
        }
        var stack: [UInt64] = []
        stack.reserveCapacity(8)
        var pieces: [LocatedPiece] = []
        // What the ops since the last piece left: a register, a computed value, bytes.
        var pending: ValueLocation? = nil
        var r = ByteReader(bytes)
        var steps = 0
        var opOffset = 0

        func fail(_ what: String) -> LocationError { LocationError(offset: opOffset, what: what) }
        func pop() throws(LocationError) -> UInt64 {
            guard let top = stack.popLast() else { throw fail("stack underflow") }
            return top
        }
        func push(_ value: UInt64) throws(LocationError) {
            guard stack.count < maxStack else { throw fail("stack overflow") }
            stack.append(value)
        }
        func register(_ n: UInt64) throws(LocationError) -> UInt64 {
            guard n < 64, let value = context.frame.registers[Int(n)] else { throw fail("register \(n) unknown in this frame") }
            return value
        }

        do {
            while !r.isAtEnd {
                steps += 1
                if steps > maxSteps { throw fail("too many steps") }
                opOffset = r.offset
                let op = try r.u8()
                // A register or computed value must be the last op, or end a piece.
                if pending != nil, op != 0x93, op != 0x9d { throw fail("operation 0x\(String(op, radix: 16)) after a location") }
                switch op {
                case 0x30...0x4f: try push(UInt64(op - 0x30))
                case 0x03:
                    let address = context.addressSize == 4 ? UInt64(try r.u32()) : try r.u64()
                    try push(address &+ context.addressBias)
                case 0x08: try push(UInt64(try r.u8()))
                case 0x09: try push(UInt64(bitPattern: Int64(try r.i8())))
                case 0x0a: try push(UInt64(try r.u16()))
                case 0x0b: try push(UInt64(bitPattern: Int64(try r.i16())))
                case 0x0c: try push(UInt64(try r.u32()))
                case 0x0d: try push(UInt64(bitPattern: Int64(try r.i32())))
                case 0x0e, 0x0f: try push(try r.u64())
                case 0x10: try push(try r.uleb128())
                case 0x11: try push(UInt64(bitPattern: try r.sleb128()))
                case 0xa1, 0xa2, 0xfb, 0xfc:  // addrx, constx, GNU_addr_index, GNU_const_index
                    let index = try r.uleb128()
                    guard let value = context.addressAtIndex(index) else { throw fail("address index \(index)") }
                    // An address is relocated with its module; a constant is not.
                    try push(op == 0xa1 || op == 0xfb ? value &+ context.addressBias : value)
                case 0x12:
                    guard let top = stack.last else { throw fail("stack underflow") }
                    try push(top)
                case 0x13: _ = try pop()
                case 0x14:
                    guard stack.count >= 2 else { throw fail("stack underflow") }
                    try push(stack[stack.count - 2])
                case 0x15:
                    let i = Int(try r.u8())
                    guard i < stack.count else { throw fail("stack underflow") }
                    try push(stack[stack.count - 1 - i])
                case 0x16:
                    guard stack.count >= 2 else { throw fail("stack underflow") }
                    stack.swapAt(stack.count - 1, stack.count - 2)
                case 0x17:
                    guard stack.count >= 3 else { throw fail("stack underflow") }
                    let top = stack[stack.count - 1]
                    stack[stack.count - 1] = stack[stack.count - 2]
                    stack[stack.count - 2] = stack[stack.count - 3]
                    stack[stack.count - 3] = top
                case 0x06, 0x94:  // deref, deref_size
                    let size = op == 0x06 ? context.addressSize : Int(try r.u8())
                    let address = try pop()
                    guard size >= 1, size <= 8 else { throw fail("deref of \(size) bytes") }
                    guard let value = context.frame.memory.readUnsigned(RuntimeAddress(address), size: size) else {
                        throw fail("memory at 0x\(String(address, radix: 16)) unreadable")
                    }
                    try push(value)
                case 0xa6, 0xf6:  // deref_type: size, type DIE (the type only widens)
                    let size = Int(try r.u8())
                    _ = try r.uleb128()
                    let address = try pop()
                    guard size >= 1, size <= 8,
                          let value = context.frame.memory.readUnsigned(RuntimeAddress(address), size: size) else {
                        throw fail("typed deref at 0x\(String(address, radix: 16))")
                    }
                    try push(value)
                case 0x19:
                    let v = Int64(bitPattern: try pop())
                    try push(v < 0 ? 0 &- UInt64(bitPattern: v) : UInt64(bitPattern: v))
                case 0x1f: try push(0 &- (try pop()))
                case 0x20: try push(~(try pop()))
                case 0x23:
                    let n = try r.uleb128()
                    try push((try pop()) &+ n)
                case 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x21, 0x22, 0x24, 0x25, 0x26, 0x27,
                     0x29, 0x2a, 0x2b, 0x2c, 0x2d, 0x2e:
                    let b = try pop(), a = try pop()
                    try push(try binary(op, a, b, fail))
                case 0x2f, 0x28:  // skip, bra
                    let delta = Int(try r.i16())
                    let taken = op == 0x2f ? true : (try pop()) != 0
                    if taken {
                        let target = r.offset + delta
                        guard target >= 0, target <= bytes.count else { throw fail("branch to \(target)") }
                        try r.seek(to: target)
                    }
                case 0x50...0x6f: pending = .register(Int(op - 0x50))
                case 0x90:
                    let n = try r.uleb128()
                    guard n < 64 else { throw fail("register \(n)") }
                    pending = .register(Int(n))
                case 0x70...0x8f:
                    let off = try r.sleb128()
                    try push((try register(UInt64(op - 0x70))) &+ UInt64(bitPattern: off))
                case 0x92:
                    let n = try r.uleb128()
                    let off = try r.sleb128()
                    try push((try register(n)) &+ UInt64(bitPattern: off))
                case 0xa5, 0xf5:  // regval_type: register, type DIE
                    let n = try r.uleb128()
                    _ = try r.uleb128()
                    try push(try register(n))
                case 0xa4, 0xf4:  // const_type: type DIE, size, bytes
                    _ = try r.uleb128()
                    let size = Int(try r.u8())
                    let raw = try r.bytes(size)
                    guard size <= 8 else { throw fail("typed constant of \(size) bytes") }
                    var value: UInt64 = 0
                    for (i, byte) in raw.enumerated() { value |= UInt64(byte) << (8 * UInt64(i)) }
                    try push(value)
                case 0xa8, 0xa9, 0xf7, 0xf9:  // convert, reinterpret: to a type of the same or smaller size
                    _ = try r.uleb128()
                case 0x91:
                    let off = try r.sleb128()
                    guard let base = context.frameBase else { throw fail("DW_OP_fbreg without a frame base") }
                    try push(base &+ UInt64(bitPattern: off))
                case 0x9c:
                    guard let cfa = context.frame.cfa else { throw fail("no CFA for this frame") }
                    try push(cfa)
                case 0xa3, 0xf3:  // entry_value, GNU_entry_value
                    let length = try r.uleb128()
                    guard length <= UInt64(r.remaining) else { throw fail("entry value of \(length) bytes") }
                    let inner = try r.bytes(Int(length))
                    try push(try entryValue(inner, context, fail))
                case 0x9f: pending = .value(try pop())
                case 0x9e:
                    let length = try r.uleb128()
                    guard length <= UInt64(r.remaining), length <= 1 << 16 else { throw fail("implicit value of \(length) bytes") }
                    pending = .implicit(Array(try r.bytes(Int(length))))
                case 0x93:  // piece
                    let size = try r.uleb128()
                    guard size > 0, size <= 1 << 16 else { throw fail("piece of \(size) bytes") }
                    let location: ValueLocation
                    if let p = pending { location = p } else if let address = stack.popLast() { location = .memory(address) } else { location = .optimizedOut }
                    pieces.append(LocatedPiece(location: location, size: Int(size)))
                    pending = nil
                    stack.removeAll(keepingCapacity: true)
                case 0x9d: throw fail("DW_OP_bit_piece")
                case 0x96: break
                default: throw fail("operation 0x\(String(op, radix: 16))")
                }
            }
        } catch let error as LocationError {
            throw error
        } catch let error as ByteReadError {
            throw LocationError(offset: error.offset, what: error.what)
        } catch {
            throw LocationError(offset: opOffset, what: "\(error)")
        }
        if let pending { return pieces + [LocatedPiece(location: pending, size: nil)] }
        if !pieces.isEmpty { return pieces }
        guard let address = stack.last else { throw LocationError(offset: bytes.count, what: "empty stack") }
        return [LocatedPiece(location: .memory(address), size: nil)]
    }

    /// gdb's DW_OP_entry_value: only a register's entry value (DW_OP_regN,
    /// or DW_OP_bregN 0 then DW_OP_deref for what it pointed to).
    private static func entryValue(_ inner: UnsafeRawBufferPointer, _ context: Context,
                                   _ fail: (String) -> LocationError) throws(LocationError) -> UInt64 {
        var r = ByteReader(inner)
        guard let op = try? r.u8() else { throw fail("empty entry value") }
        var register: UInt64
        switch op {
        case 0x50...0x6f: register = UInt64(op - 0x50)
        case 0x90: guard let n = try? r.uleb128() else { throw fail("entry value register") }; register = n
        default: throw fail("entry value of operation 0x\(String(op, radix: 16))")
        }
        guard r.isAtEnd, register < 64 else { throw fail("entry value of more than a register") }
        guard let value = context.frame.entryValue(Int(register)) else { throw fail("no entry value for register \(register)") }
        return value
    }

    private static func binary(_ op: UInt8, _ a: UInt64, _ b: UInt64, _ fail: (String) -> LocationError) throws(LocationError) -> UInt64 {
        let sa = Int64(bitPattern: a), sb = Int64(bitPattern: b)
        switch op {
        case 0x1a: return a & b
        case 0x1b:
            guard sb != 0 else { throw fail("division by zero") }
            return UInt64(bitPattern: sa.dividedReportingOverflow(by: sb).partialValue)
        case 0x1c: return a &- b
        case 0x1d:
            guard b != 0 else { throw fail("division by zero") }
            return a % b
        case 0x1e: return a &* b
        case 0x21: return a | b
        case 0x22: return a &+ b
        case 0x24: return b >= 64 ? 0 : a << b
        case 0x25: return b >= 64 ? 0 : a >> b
        case 0x26: return UInt64(bitPattern: b >= 64 ? (sa < 0 ? -1 : 0) : sa >> Int64(b))
        case 0x27: return a ^ b
        case 0x29: return sa == sb ? 1 : 0
        case 0x2a: return sa >= sb ? 1 : 0
        case 0x2b: return sa > sb ? 1 : 0
        case 0x2c: return sa <= sb ? 1 : 0
        case 0x2d: return sa < sb ? 1 : 0
        default: return sa != sb ? 1 : 0
        }
    }
}
