import ELF

/// Every attribute of one DIE: for the rare lookups that need more than
/// DIEAttributes keeps (types and parameters, for gdb's C++ names).
struct FullDIE {
    /// Enough children for any real parameter list; more is garbage.
    static let maxChildren = 256
    static let maxSkippedDIEs = 1 << 16

    var offset: Int
    var tag: UInt64
    var hasChildren: Bool
    var attributes: [(name: UInt64, value: AttributeValue)]
    /// Just past the attributes: where the first child is, when there are children.
    var end: Int

    func value(_ name: UInt64) -> AttributeValue? { attributes.first { $0.name == name }?.value }

    func reference(_ name: UInt64) -> Int? {
        guard case .reference(let target)? = value(name) else { return nil }
        return Int(exactly: target)
    }

    func flag(_ name: UInt64) -> Bool { (value(name)?.number ?? 0) != 0 }

    /// The DIE at .debug_info offset `offset`, which must lie in `unit`.
    static func read(at offset: Int, in unit: CompilationUnit, _ sections: DWARFSections) -> FullDIE? {
        guard offset >= unit.header.firstDIEOffset, offset < min(unit.header.end, sections.info.count) else { return nil }
        var r = ByteReader(sections.info, offset: offset)
        return try? read(&r, in: unit)
    }

    /// The DIE at the reader, or nil at a null entry (the end of a sibling list).
    private static func read(_ r: inout ByteReader, in unit: CompilationUnit) throws(ByteReadError) -> FullDIE? {
        let offset = r.offset
        let code = try r.uleb128()
        guard code != 0 else { return nil }
        guard let abbreviation = unit.abbreviations[code] else {
            throw ByteReadError(offset: offset, what: "unknown abbreviation \(code)")
        }
        var attributes: [(name: UInt64, value: AttributeValue)] = []
        attributes.reserveCapacity(abbreviation.attributes.count)
        for spec in abbreviation.attributes {
            let value = try readAttributeValue(form: spec.form, implicitConst: spec.implicitConst,
                                               encoding: unit.encoding, reader: &r)
            attributes.append((spec.name, value))
        }
        return FullDIE(offset: offset, tag: abbreviation.tag, hasChildren: abbreviation.hasChildren,
                       attributes: attributes, end: r.offset)
    }

    /// The DIE's direct children, in order; nil when they cannot be read.
    /// With `firstOnly` the first `limit` children (a function's parameters
    /// come first), not nil when there are more.
    func children(in unit: CompilationUnit, _ sections: DWARFSections,
                  limit maxCount: Int = maxChildren, firstOnly: Bool = false) -> [FullDIE]? {
        guard hasChildren else { return [] }
        let limit = min(unit.header.end, sections.info.count)
        var r = ByteReader(sections.info, offset: end)
        var children: [FullDIE] = []
        do throws(ByteReadError) {
            while r.offset < limit, children.count < maxCount {
                guard let child = try Self.read(&r, in: unit) else { return children }
                children.append(child)
                guard child.hasChildren else { continue }
                if let sibling = child.reference(DWAttribute.sibling), sibling > r.offset, sibling <= limit {
                    try r.seek(to: sibling)
                } else {
                    try Self.skipSubtree(&r, in: unit, limit: limit)
                }
            }
        } catch {
            return firstOnly ? children : nil
        }
        return firstOnly ? children : nil
    }

    /// Steps over the children of the DIE just read, and their null entry.
    private static func skipSubtree(_ r: inout ByteReader, in unit: CompilationUnit, limit: Int) throws(ByteReadError) {
        var depth = 1
        var read = 0
        while depth > 0, r.offset < limit, read < maxSkippedDIEs {
            read += 1
            if let die = try Self.read(&r, in: unit) {
                if die.hasChildren { depth += 1 }
            } else {
                depth -= 1
            }
        }
        if depth > 0 { throw ByteReadError(offset: r.offset, what: "subtree without its end") }
    }
}
