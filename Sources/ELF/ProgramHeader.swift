/// A segment type (p_type). Unknown values are kept, not rejected.
public struct SegmentType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let null = SegmentType(rawValue: 0)
    public static let load = SegmentType(rawValue: 1)
    public static let dynamic = SegmentType(rawValue: 2)
    public static let interpreter = SegmentType(rawValue: 3)
    public static let note = SegmentType(rawValue: 4)
    public static let programHeader = SegmentType(rawValue: 6)
    public static let tls = SegmentType(rawValue: 7)
    public static let gnuEHFrame = SegmentType(rawValue: 0x6474_e550)
    public static let gnuStack = SegmentType(rawValue: 0x6474_e551)
    public static let gnuRelRO = SegmentType(rawValue: 0x6474_e552)
    public static let gnuProperty = SegmentType(rawValue: 0x6474_e553)

    public var description: String {
        switch self {
        case .null: return "NULL"
        case .load: return "LOAD"
        case .dynamic: return "DYNAMIC"
        case .interpreter: return "INTERP"
        case .note: return "NOTE"
        case .programHeader: return "PHDR"
        case .tls: return "TLS"
        case .gnuEHFrame: return "GNU_EH_FRAME"
        case .gnuStack: return "GNU_STACK"
        case .gnuRelRO: return "GNU_RELRO"
        case .gnuProperty: return "GNU_PROPERTY"
        default: return "0x\(String(rawValue, radix: 16))"
        }
    }
}

/// Segment permissions (p_flags).
public struct SegmentFlags: OptionSet, Hashable, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public static let execute = SegmentFlags(rawValue: 1)
    public static let write = SegmentFlags(rawValue: 2)
    public static let read = SegmentFlags(rawValue: 4)
}

/// One ELF64 program header (56 bytes on disk).
public struct ProgramHeader: Sendable, Equatable {
    public static let entrySize = 56

    public let type: SegmentType
    public let flags: SegmentFlags
    public let offset: UInt64
    /// Where the segment is linked to load.
    public let vaddr: FileAddress
    public let paddr: UInt64
    public let filesz: UInt64
    public let memsz: UInt64
    public let align: UInt64

    init(_ r: inout ByteReader) throws(ByteReadError) {
        type = SegmentType(rawValue: try r.u32())
        flags = SegmentFlags(rawValue: try r.u32())
        offset = try r.u64()
        vaddr = FileAddress(try r.u64())
        paddr = try r.u64()
        filesz = try r.u64()
        memsz = try r.u64()
        align = try r.u64()
    }

    /// File offset where the kernel's mapping of this segment starts: the
    /// loader maps whole pages, so it rounds p_offset down to a page.
    var mappedFileStart: UInt64 { offset & ~(SegmentPage.size - 1) }
}

enum SegmentPage {
    /// x86_64 Linux maps ELF segments with 4 KiB pages.
    static let size: UInt64 = 4096
}
