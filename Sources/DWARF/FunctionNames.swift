/// Names a subprogram or inlined subroutine the way gdb and addr2line do:
/// the linkage (mangled) name when any DIE of the chain has one, else the
/// first plain name, following DW_AT_abstract_origin and DW_AT_specification.
struct FunctionNameResolver {
    /// Enough for origin → specification → declaration; more is a loop.
    static let maxHops = 8

    let sections: DWARFSections
    let unit: CompilationUnit
    /// The unit holding a .debug_info offset outside `unit` (DW_FORM_ref_addr).
    let unitContaining: (Int) -> CompilationUnit?
    private var cache: [UInt64: (linkage: String?, name: String?, next: UInt64?)] = [:]

    /// What a chain of DIEs names: the first linkage name and plain name
    /// along it, and the last DIE reached (the declaration, whose parents
    /// give the prefix), nil when that lies in another unit.
    struct Chain {
        var linkage: String?
        var name: String?
        var last: Int?
    }

    init(sections: DWARFSections, unit: CompilationUnit, unitContaining: @escaping (Int) -> CompilationUnit?) {
        self.sections = sections
        self.unit = unit
        self.unitContaining = unitContaining
    }

    mutating func name(of die: DIEAttributes) -> String? {
        if let value = die.linkageName, let linkage = unit.string(value, sections) { return linkage }
        var name = die.name.flatMap { unit.string($0, sections) }
        var next = die.abstractOrigin ?? die.specification
        var hops = 0
        while let offset = next, hops < Self.maxHops {
            hops += 1
            guard let target = referenced(offset) else { break }
            if let linkage = target.linkage { return linkage }
            if name == nil { name = target.name }
            next = target.next
        }
        return name
    }

    /// The whole chain from `die` (at `offset`), origin and specification
    /// both followed to the end, as gdb's dwarf2_attr does.
    mutating func chain(of die: DIEAttributes, at offset: Int) -> Chain {
        var chain = Chain(linkage: die.linkageName.flatMap { unit.string($0, sections) },
                          name: die.name.flatMap { unit.string($0, sections) }, last: offset)
        var next = die.abstractOrigin ?? die.specification
        var hops = 0
        while let target = next, hops < Self.maxHops {
            hops += 1
            guard let entry = referenced(target) else { break }
            if chain.linkage == nil { chain.linkage = entry.linkage }
            if chain.name == nil { chain.name = entry.name }
            let inUnit = target >= UInt64(unit.header.offset) && target < UInt64(unit.header.end)
            chain.last = inUnit ? Int(exactly: target) : nil
            next = entry.next
        }
        return chain
    }

    private mutating func referenced(_ offset: UInt64) -> (linkage: String?, name: String?, next: UInt64?)? {
        if let known = cache[offset] { return known }
        let owner: CompilationUnit
        if offset >= UInt64(unit.header.offset), offset < UInt64(unit.header.end) {
            owner = unit
        } else if let i = Int(exactly: offset), let other = unitContaining(i) {
            owner = other
        } else {
            return nil
        }
        guard let die = DIEAttributes.read(at: offset, in: owner, sections) else { return nil }
        let entry = (linkage: die.linkageName.flatMap { owner.string($0, sections) },
                     name: die.name.flatMap { owner.string($0, sections) },
                     next: die.abstractOrigin ?? die.specification)
        cache[offset] = entry
        return entry
    }
}
