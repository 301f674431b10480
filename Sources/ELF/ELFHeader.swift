/// What kind of object an ELF file is (e_type).
public enum ELFFileType: Sendable, Equatable, CustomStringConvertible {
    case relocatable        // ET_REL: .o files; symbol values are section-relative
    case executable         // ET_EXEC: fixed-address executable
    case sharedObject       // ET_DYN: shared library or position-independent executable
    case core               // ET_CORE
    case other(UInt16)

    init(raw: UInt16) {
        switch raw {
        case 1: self = .relocatable
        case 2: self = .executable
        case 3: self = .sharedObject
        case 4: self = .core
        default: self = .other(raw)
        }
    }

    public var description: String {
        switch self {
        case .relocatable: return "relocatable"
        case .executable: return "executable"
        case .sharedObject: return "shared object"
        case .core: return "core"
        case .other(let raw): return "type 0x\(String(raw, radix: 16))"
        }
    }
}

/// The fixed 64-byte ELF64 header, validated: little-endian x86_64 only.
public struct ELFHeader: Sendable, Equatable {
    public static let size = 64
    public static let machineX86_64: UInt16 = 62

    public let type: ELFFileType
    public let machine: UInt16
    public let entry: UInt64
    public let programHeaderOffset: UInt64
    public let sectionHeaderOffset: UInt64
    public let flags: UInt32
    public let programHeaderEntrySize: UInt16
    /// Raw e_phnum; PN_XNUM (0xffff) means the real count is in section 0.
    public let programHeaderCount: UInt16
    public let sectionHeaderEntrySize: UInt16
    /// Raw e_shnum; 0 with a section table means the real count is in section 0.
    public let sectionHeaderCount: UInt16
    /// Raw e_shstrndx; SHN_XINDEX (0xffff) means the real index is in section 0.
    public let sectionNameTableIndex: UInt16

    /// Checks identity in the order that gives the most useful error:
    /// magic, then class (a 32-bit header has a different layout), then
    /// byte order, then machine.
    init(_ data: UnsafeRawBufferPointer, path: String?) throws(ELFError) {
        guard data.count >= 4, data[0] == 0x7f, data[1] == 0x45, data[2] == 0x4c, data[3] == 0x46 else {
            throw .notELF(path: path)
        }
        guard data.count > 5 else { throw .truncated(offset: 4, what: "ELF identification") }
        guard data[4] == 2 else { throw .unsupportedClass(data[4]) }
        guard data[5] == 1 else { throw .unsupportedEndianness(data[5]) }
        var r = ByteReader(data, offset: 16)
        let rawType: UInt16
        do throws(ByteReadError) {
            rawType = try r.u16()
            machine = try r.u16()
        } catch {
            throw ELFError(error)
        }
        guard machine == ELFHeader.machineX86_64 else { throw .wrongMachine(machine) }
        type = ELFFileType(raw: rawType)
        do throws(ByteReadError) {
            _ = try r.u32() // e_version: not checked, tools ignore it too
            entry = try r.u64()
            programHeaderOffset = try r.u64()
            sectionHeaderOffset = try r.u64()
            flags = try r.u32()
            _ = try r.u16() // e_ehsize
            programHeaderEntrySize = try r.u16()
            programHeaderCount = try r.u16()
            sectionHeaderEntrySize = try r.u16()
            sectionHeaderCount = try r.u16()
            sectionNameTableIndex = try r.u16()
        } catch {
            throw ELFError(error)
        }
    }
}

/// Converts a file-supplied 64-bit offset or size to Int, or explains why not.
@inline(__always)
func fileInt(_ value: UInt64, _ what: @autoclosure () -> String, at offset: Int) throws(ELFError) -> Int {
    guard let v = Int(exactly: value) else { throw .malformed(offset: offset, what: "\(what()) 0x\(String(value, radix: 16)) is too large") }
    return v
}

/// Checks that `offset ..< offset + size` lies inside a buffer of `count` bytes.
@inline(__always)
func checkRange(offset: UInt64, size: UInt64, within count: Int, _ what: @autoclosure () -> String, at where_: Int) throws(ELFError) -> Range<Int> {
    let (end, overflow) = offset.addingReportingOverflow(size)
    guard !overflow, end <= UInt64(count) else {
        throw .truncated(offset: Int(clamping: offset), what: "\(what()) of 0x\(String(size, radix: 16)) bytes (described at 0x\(String(where_, radix: 16)))")
    }
    return Int(offset) ..< Int(end)
}
