/// What a relocation asks the loader to write (the low 32 bits of r_info).
/// Named: the x86_64 types whose stored value can say where something in
/// this file is; any other type is kept as `other`, not rejected.
public enum RelocationType: Hashable, Sendable {
    /// R_X86_64_64, S + A: a symbol's address as a 64-bit word.
    case absolute64
    /// R_X86_64_GLOB_DAT, S: a symbol's address, into a GOT slot.
    case globalData
    /// R_X86_64_JUMP_SLOT, S: a function's address, into a PLT's GOT slot.
    case jumpSlot
    /// R_X86_64_RELATIVE, B + A: an address inside this module.
    case relative
    case other(UInt32)

    /// The numbers, once for both directions.
    private static let numbered: [(number: UInt32, type: RelocationType)] = [
        (1, .absolute64), (6, .globalData), (7, .jumpSlot), (8, .relative),
    ]

    public init(rawValue: UInt32) {
        self = Self.numbered.first { $0.number == rawValue }?.type ?? .other(rawValue)
    }

    public var rawValue: UInt32 {
        if case .other(let number) = self { return number }
        return Self.numbered.first { $0.type == self }!.number
    }
}

/// The symbol a relocation names, from the relocation table's linked symbol table.
public struct RelocationSymbol: Sendable, Hashable {
    public let name: String
    /// st_value: where the symbol is, when this module defines it.
    public let value: FileAddress
    /// st_shndx; 0 (SHN_UNDEF) for a symbol another module defines.
    public let sectionIndex: UInt16

    public var isDefined: Bool { sectionIndex != 0 }
}

/// One entry of a dynamic relocation table (.rela.dyn, .rela.plt): a word
/// the dynamic loader writes when it maps the file.
public struct DynamicRelocation: Sendable, Hashable {
    /// r_offset: where the loader writes.
    public let offset: FileAddress
    public let type: RelocationType
    /// The index into the linked symbol table (r_info's high 32 bits); 0 for none.
    public let symbolIndex: UInt32
    /// The symbol at `symbolIndex`; nil for index 0, an index past the
    /// table, or a linked table that cannot be read.
    public let symbol: RelocationSymbol?
    public let addend: Int64

    /// The address the loader stores, for the types whose value this file
    /// alone decides: B + A (RELATIVE), or S + A (64, GLOB_DAT) of a symbol
    /// the file defines. Before the load bias, so a file address; nil for
    /// anything else (a symbol of another module, a copy, an ifunc).
    public var storedFileAddress: FileAddress? {
        switch type {
        case .relative:
            return FileAddress(UInt64(bitPattern: addend))
        case .globalData, .absolute64:
            guard let symbol, symbol.isDefined else { return nil }
            return symbol.value + UInt64(bitPattern: addend)
        default:
            return nil
        }
    }
}

extension ELFFile {
    static let relocationEntrySize = 24

    /// The relocation tables the dynamic loader applies: SHT_RELA sections
    /// that are part of the image (SHF_ALLOC), as named by the section headers.
    public var dynamicRelocationSections: [Section] {
        sections.filter { $0.type == .rela && $0.flags.contains(.alloc) }
    }

    /// Every entry of every table in `dynamicRelocationSections`, in file
    /// order. A table that cannot be read (see `relocations(in:)`) is left
    /// out, so a corrupt file gives fewer entries, never a trap.
    public var dynamicRelocations: [DynamicRelocation] {
        dynamicRelocationSections.flatMap { (try? relocations(in: $0)) ?? [] }
    }

    /// The entries of one SHT_RELA section, each with the symbol it names.
    /// Throws when the entries are not 24 bytes or lie outside the file.
    public func relocations(in table: Section) throws(ELFError) -> [DynamicRelocation] {
        let headerAt = Int(clamping: header.sectionHeaderOffset) &+ table.index &* Int(header.sectionHeaderEntrySize)
        guard table.entsize == UInt64(Self.relocationEntrySize) else {
            throw .malformed(offset: headerAt, what: "relocation table \(table.name) entry size \(table.entsize) (expected 24)")
        }
        let entries = try data(of: table)
        let symbols = try? LinkedSymbols(linkedFrom: table, in: self)
        var result: [DynamicRelocation] = []
        result.reserveCapacity(entries.count / Self.relocationEntrySize)
        var at = 0
        while at + Self.relocationEntrySize <= entries.count {
            let info = UInt64(littleEndian: entries.loadUnaligned(fromByteOffset: at + 8, as: UInt64.self))
            let symbolIndex = UInt32(truncatingIfNeeded: info >> 32)
            result.append(DynamicRelocation(
                offset: FileAddress(UInt64(littleEndian: entries.loadUnaligned(fromByteOffset: at, as: UInt64.self))),
                type: RelocationType(rawValue: UInt32(truncatingIfNeeded: info)),
                symbolIndex: symbolIndex,
                symbol: symbols?.symbol(at: Int(symbolIndex)),
                addend: Int64(littleEndian: entries.loadUnaligned(fromByteOffset: at + 16, as: Int64.self))))
            at += Self.relocationEntrySize
        }
        return result
    }
}

/// The symbol table a relocation section's sh_link names, read by index
/// (relocations name symbols by position, undefined ones included).
private struct LinkedSymbols {
    let entries: UnsafeRawBufferPointer
    let names: UnsafeRawBufferPointer
    static let entrySize = 24

    init?(linkedFrom table: Section, in elf: ELFFile) throws(ELFError) {
        let link = Int(table.link)
        guard link > 0, link < elf.sections.count else { return nil }
        let symbols = elf.sections[link]
        guard symbols.type == .dynamicSymbolTable || symbols.type == .symbolTable else { return nil }
        entries = try elf.data(of: symbols)
        // Values do not need names: without a readable string table they are "".
        let strings = Int(symbols.link)
        names = strings > 0 && strings < elf.sections.count
            ? (try? elf.data(of: elf.sections[strings])) ?? UnsafeRawBufferPointer(start: nil, count: 0)
            : UnsafeRawBufferPointer(start: nil, count: 0)
    }

    func symbol(at index: Int) -> RelocationSymbol? {
        guard index > 0, index < entries.count / Self.entrySize else { return nil }
        let at = index * Self.entrySize
        let nameOffset = UInt32(littleEndian: entries.loadUnaligned(fromByteOffset: at, as: UInt32.self))
        return RelocationSymbol(
            name: StringTable.string(in: names, at: Int(nameOffset)),
            value: FileAddress(UInt64(littleEndian: entries.loadUnaligned(fromByteOffset: at + 8, as: UInt64.self))),
            sectionIndex: UInt16(littleEndian: entries.loadUnaligned(fromByteOffset: at + 6, as: UInt16.self)))
    }
}
