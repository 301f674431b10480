import ELF

/// Pointer slots (GOT entries) the dynamic loader fills with a flag's
/// address. Code in a shared object reaches its own exported variables
/// through such a slot (`mov hold@GOTPCREL(%rip), %rax`), so the RIP-relative
/// operand points at the slot, not at the variable.
enum GOTSlots {
    /// (slot, index into `ranges`) for each dynamic relocation that stores an
    /// address inside one of `ranges`. Corrupt tables give fewer slots, never
    /// a trap.
    static func slots(in elf: ELFFile, pointingInto ranges: [Range<FileAddress>]) -> [(slot: FileAddress, owner: Int)] {
        var found: [(slot: FileAddress, owner: Int)] = []
        for relocation in elf.dynamicRelocations {
            guard let target = relocation.storedFileAddress else { continue }
            for (index, range) in ranges.enumerated() where range.contains(target) {
                found.append((relocation.offset, index))
            }
        }
        return found
    }
}
