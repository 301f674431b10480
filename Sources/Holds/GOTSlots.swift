import ELF

/// Pointer slots (GOT entries) the dynamic loader fills with a flag's
/// address. Code in a shared object reaches its own exported variables
/// through such a slot (`mov hold@GOTPCREL(%rip), %rax`), so the RIP-relative
/// operand points at the slot, not at the variable.
enum GOTSlots {
    private static let relaEntrySize = 24
    private static let symbolEntrySize = 24
    private static let r_x86_64_64: UInt64 = 1
    private static let r_x86_64_GLOB_DAT: UInt64 = 6
    private static let r_x86_64_RELATIVE: UInt64 = 8

    /// (slot link address, index into `ranges`) for each dynamic relocation
    /// that stores an address inside one of `ranges`. Corrupt tables give
    /// fewer slots, never a trap.
    static func slots(in elf: ELFFile, pointingInto ranges: [Range<FileAddress>]) -> [(slot: FileAddress, owner: Int)] {
        var found: [(slot: FileAddress, owner: Int)] = []
        for table in elf.sections where table.type == .rela && table.flags.contains(.alloc) {
            guard table.entsize == UInt64(relaEntrySize), let entries = try? elf.data(of: table) else { continue }
            let symbols = symbolTable(linkedFrom: table, in: elf)
            var at = 0
            while at + relaEntrySize <= entries.count {
                let offset = UInt64(littleEndian: entries.loadUnaligned(fromByteOffset: at, as: UInt64.self))
                let info = UInt64(littleEndian: entries.loadUnaligned(fromByteOffset: at + 8, as: UInt64.self))
                let addend = UInt64(littleEndian: entries.loadUnaligned(fromByteOffset: at + 16, as: UInt64.self))
                at += relaEntrySize
                let target: UInt64
                switch info & 0xffff_ffff {
                case r_x86_64_RELATIVE:
                    target = addend
                case r_x86_64_GLOB_DAT, r_x86_64_64:
                    guard let value = symbols.flatMap({ definedValue(ofSymbol: Int(info >> 32), in: $0) }) else { continue }
                    target = value &+ addend
                default:
                    continue
                }
                for (index, range) in ranges.enumerated() where range.contains(FileAddress(target)) {
                    found.append((FileAddress(offset), index))
                }
            }
        }
        return found
    }

    private static func symbolTable(linkedFrom table: Section, in elf: ELFFile) -> UnsafeRawBufferPointer? {
        let link = Int(table.link)
        guard link > 0, link < elf.sections.count else { return nil }
        let symbols = elf.sections[link]
        guard symbols.type == .dynamicSymbolTable || symbols.type == .symbolTable else { return nil }
        return try? elf.data(of: symbols)
    }

    /// st_value of a defined symbol; nil for an undefined one (it lives in
    /// another module) or an index past the table.
    private static func definedValue(ofSymbol index: Int, in table: UnsafeRawBufferPointer) -> UInt64? {
        guard index > 0, index < table.count / symbolEntrySize else { return nil }
        let at = index * symbolEntrySize
        let sectionIndex = UInt16(littleEndian: table.loadUnaligned(fromByteOffset: at + 6, as: UInt16.self))
        guard sectionIndex != 0 else { return nil }
        return UInt64(littleEndian: table.loadUnaligned(fromByteOffset: at + 8, as: UInt64.self))
    }
}
