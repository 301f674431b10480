/// A DW_EH_PE pointer encoding byte: low nibble the value format, bits 4–6 what
/// the value is relative to, bit 7 whether the result must be dereferenced.
public struct PointerEncoding: Equatable, Sendable, RawRepresentable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public init(_ rawValue: UInt8) { self.rawValue = rawValue }

    public static let omit = PointerEncoding(0xff)
    public static let absptr = PointerEncoding(0x00)
    public static let uleb128 = PointerEncoding(0x01)
    public static let udata2 = PointerEncoding(0x02)
    public static let udata4 = PointerEncoding(0x03)
    public static let udata8 = PointerEncoding(0x04)
    public static let sleb128 = PointerEncoding(0x09)
    public static let sdata2 = PointerEncoding(0x0a)
    public static let sdata4 = PointerEncoding(0x0b)
    public static let sdata8 = PointerEncoding(0x0c)
    public static let pcrel: UInt8 = 0x10
    public static let textrel: UInt8 = 0x20
    public static let datarel: UInt8 = 0x30
    public static let funcrel: UInt8 = 0x40
    public static let aligned: UInt8 = 0x50
    public static let indirect: UInt8 = 0x80

    public var isOmit: Bool { rawValue == 0xff }
    public var format: UInt8 { rawValue & 0x0f }
    public var application: UInt8 { rawValue & 0x70 }
    public var isIndirect: Bool { rawValue & 0x80 != 0 }

    /// The fixed size of an encoded value, or nil for LEB128 forms (and for
    /// unknown formats), which cannot be binary-searched.
    public func fixedSize(addressSize: Int) -> Int? {
        switch format {
        case 0x00: return addressSize
        case 0x02, 0x0a: return 2
        case 0x03, 0x0b: return 4
        case 0x04, 0x0c: return 8
        default: return nil
        }
    }
}

/// The bases an encoded pointer may be relative to. `sectionAddress` is the
/// link-time address of byte 0 of the buffer being read (for pcrel).
struct PointerContext {
    var sectionAddress: UInt64
    var textBase: UInt64? = nil
    var dataBase: UInt64? = nil
    var functionBase: UInt64? = nil
    var addressSize: Int = 8
    /// Reads through DW_EH_PE_indirect pointers; without it they are an error
    /// unless the caller asks for the unresolved slot address.
    var readIndirect: ((UInt64) -> UInt64?)? = nil
}

extension CFICursor {
    /// Reads an encoded pointer. With `resolveIndirect` false an indirect value
    /// is returned as the address of the slot (enough for skipping personality
    /// pointers we never call).
    mutating func pointer(_ encoding: PointerEncoding, _ context: PointerContext,
                          resolveIndirect: Bool = true) throws(CFIError) -> UInt64 {
        let start = offset
        if encoding.isOmit { throw error(.badPointerEncoding(encoding.rawValue), at: start) }
        if encoding.application == PointerEncoding.aligned {
            let addr = context.sectionAddress &+ UInt64(start)
            let size = UInt64(context.addressSize)
            let pad = Int((size - addr % size) % size)
            try skip(pad)
        }
        let valueOffset = offset
        let raw = try value(format: encoding.format, addressSize: context.addressSize, rawEncoding: encoding.rawValue)
        var result: UInt64
        switch encoding.application {
        case 0x00, PointerEncoding.aligned:
            result = raw
        case PointerEncoding.pcrel:
            result = context.sectionAddress &+ UInt64(valueOffset) &+ raw
        case PointerEncoding.textrel:
            guard let b = context.textBase else { throw error(.missingBase(encoding.rawValue), at: start) }
            result = b &+ raw
        case PointerEncoding.datarel:
            guard let b = context.dataBase else { throw error(.missingBase(encoding.rawValue), at: start) }
            result = b &+ raw
        case PointerEncoding.funcrel:
            guard let b = context.functionBase else { throw error(.missingBase(encoding.rawValue), at: start) }
            result = b &+ raw
        default:
            throw error(.badPointerEncoding(encoding.rawValue), at: start)
        }
        if encoding.isIndirect && resolveIndirect {
            guard let read = context.readIndirect, let v = read(result) else {
                throw error(.indirectPointerUnavailable, at: start)
            }
            result = v
        }
        return result
    }

    /// Steps over an encoded pointer without needing any of its bases.
    mutating func skipPointer(_ encoding: PointerEncoding, _ context: PointerContext) throws(CFIError) {
        if encoding.application == PointerEncoding.aligned {
            let addr = context.sectionAddress &+ UInt64(offset)
            let size = UInt64(context.addressSize)
            try skip(Int((size - addr % size) % size))
        }
        _ = try value(format: encoding.format, addressSize: context.addressSize, rawEncoding: encoding.rawValue)
    }

    /// Reads just the value format (used for FDE address ranges, which are
    /// lengths and take no base).
    mutating func value(format: UInt8, addressSize: Int, rawEncoding: UInt8) throws(CFIError) -> UInt64 {
        let start = offset
        switch format {
        case 0x00:
            switch addressSize {
            case 8: return try u64()
            case 4: return UInt64(try u32())
            case 2: return UInt64(try u16())
            default: throw error(.badPointerEncoding(rawEncoding), at: start)
            }
        case 0x01: return try uleb128()
        case 0x02: return UInt64(try u16())
        case 0x03: return UInt64(try u32())
        case 0x04: return try u64()
        case 0x09: return UInt64(bitPattern: try sleb128())
        case 0x0a: return UInt64(bitPattern: Int64(Int16(bitPattern: try u16())))
        case 0x0b: return UInt64(bitPattern: Int64(Int32(bitPattern: try u32())))
        case 0x0c: return try u64()
        default: throw error(.badPointerEncoding(rawEncoding), at: start)
        }
    }
}
