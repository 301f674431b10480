/// A section type (sh_type). Unknown values are kept, not rejected.
public struct SectionType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let null = SectionType(rawValue: 0)
    public static let progbits = SectionType(rawValue: 1)
    public static let symbolTable = SectionType(rawValue: 2)
    public static let stringTable = SectionType(rawValue: 3)
    public static let rela = SectionType(rawValue: 4)
    public static let hash = SectionType(rawValue: 5)
    public static let dynamic = SectionType(rawValue: 6)
    public static let note = SectionType(rawValue: 7)
    public static let nobits = SectionType(rawValue: 8)
    public static let rel = SectionType(rawValue: 9)
    public static let dynamicSymbolTable = SectionType(rawValue: 11)
    public static let symbolTableIndices = SectionType(rawValue: 18)
    public static let gnuHash = SectionType(rawValue: 0x6fff_fff6)

    public var description: String {
        switch self {
        case .null: return "NULL"
        case .progbits: return "PROGBITS"
        case .symbolTable: return "SYMTAB"
        case .stringTable: return "STRTAB"
        case .rela: return "RELA"
        case .hash: return "HASH"
        case .dynamic: return "DYNAMIC"
        case .note: return "NOTE"
        case .nobits: return "NOBITS"
        case .rel: return "REL"
        case .dynamicSymbolTable: return "DYNSYM"
        case .symbolTableIndices: return "SYMTAB_SHNDX"
        case .gnuHash: return "GNU_HASH"
        default: return "0x\(String(rawValue, radix: 16))"
        }
    }
}

/// Section attributes (sh_flags).
public struct SectionFlags: OptionSet, Hashable, Sendable {
    public let rawValue: UInt64
    public init(rawValue: UInt64) { self.rawValue = rawValue }
    public static let write = SectionFlags(rawValue: 0x1)
    public static let alloc = SectionFlags(rawValue: 0x2)
    public static let execInstr = SectionFlags(rawValue: 0x4)
    public static let merge = SectionFlags(rawValue: 0x10)
    public static let strings = SectionFlags(rawValue: 0x20)
    public static let tls = SectionFlags(rawValue: 0x400)
    /// Contents start with an Elf64_Chdr and are compressed (zlib or zstd).
    public static let compressed = SectionFlags(rawValue: 0x800)
}

/// One ELF64 section header (64 bytes on disk) with its name resolved.
///
/// A `Section` is only a description; read its bytes with `ELFFile.data(of:)`.
public struct Section: Sendable, Equatable {
    public static let entrySize = 64

    /// Position in the section header table; symbols refer to sections by it.
    public let index: Int
    public let name: String
    public let type: SectionType
    public let flags: SectionFlags
    /// Where the section is linked to load (0 for one that is not loaded).
    public let addr: FileAddress
    public let offset: UInt64
    public let size: UInt64
    public let link: UInt32
    public let info: UInt32
    public let addralign: UInt64
    public let entsize: UInt64

    /// The raw header fields, before the name is known.
    struct Raw {
        var nameOffset: UInt32
        var type: UInt32
        var flags: UInt64
        var addr: UInt64
        var offset: UInt64
        var size: UInt64
        var link: UInt32
        var info: UInt32
        var addralign: UInt64
        var entsize: UInt64

        init(_ r: inout ByteReader) throws(ByteReadError) {
            nameOffset = try r.u32()
            type = try r.u32()
            flags = try r.u64()
            addr = try r.u64()
            offset = try r.u64()
            size = try r.u64()
            link = try r.u32()
            info = try r.u32()
            addralign = try r.u64()
            entsize = try r.u64()
        }
    }

    init(index: Int, name: String, raw: Raw) {
        self.index = index
        self.name = name
        type = SectionType(rawValue: raw.type)
        flags = SectionFlags(rawValue: raw.flags)
        addr = FileAddress(raw.addr)
        offset = raw.offset
        size = raw.size
        link = raw.link
        info = raw.info
        addralign = raw.addralign
        entsize = raw.entsize
    }

    public var isCompressed: Bool { flags.contains(.compressed) }
    public var isExecutable: Bool { flags.contains(.execInstr) }
}
