import ELF

/// The attributes of one DIE that the scope and name lookups use, read in a
/// single pass; everything else is stepped over.
struct DIEAttributes {
    var tag: UInt64 = 0
    var hasChildren = false
    var name: AttributeValue?
    var linkageName: AttributeValue?
    var abstractOrigin: UInt64?
    var specification: UInt64?
    var lowPC: AttributeValue?
    var highPC: AttributeValue?
    var ranges: AttributeValue?
    var callFile: UInt64?
    var callLine: UInt64?
    var sibling: UInt64?

    /// Reads the DIE whose abbreviation is `abbreviation`, its code already consumed.
    /// With `keep` false the values are only stepped over (a DIE we do not need).
    init(_ abbreviation: Abbreviation, encoding: UnitEncoding, reader r: inout ByteReader, keep: Bool) throws(ByteReadError) {
        tag = abbreviation.tag
        hasChildren = abbreviation.hasChildren
        for spec in abbreviation.attributes {
            let value = try readAttributeValue(form: spec.form, implicitConst: spec.implicitConst, encoding: encoding, reader: &r)
            if spec.name == DWAttribute.sibling, case .reference(let target) = value {
                sibling = target
                continue
            }
            guard keep else { continue }
            switch spec.name {
            case DWAttribute.name: name = value
            case DWAttribute.linkageName, DWAttribute.mipsLinkageName: linkageName = value
            case DWAttribute.abstractOrigin: if case .reference(let target) = value { abstractOrigin = target }
            case DWAttribute.specification: if case .reference(let target) = value { specification = target }
            case DWAttribute.lowPC: lowPC = value
            case DWAttribute.highPC: highPC = value
            case DWAttribute.ranges: ranges = value
            case DWAttribute.callFile: callFile = value.number
            case DWAttribute.callLine: callLine = value.number
            default: break
            }
        }
    }

    /// Reads the DIE at absolute .debug_info offset `offset` in `unit`.
    static func read(at offset: UInt64, in unit: CompilationUnit, _ sections: DWARFSections) -> DIEAttributes? {
        guard let start = Int(exactly: offset), start >= unit.header.firstDIEOffset, start < unit.header.end else { return nil }
        var r = ByteReader(sections.info, offset: start)
        guard let code = try? r.uleb128(), let abbreviation = unit.abbreviations[code] else { return nil }
        return try? DIEAttributes(abbreviation, encoding: unit.encoding, reader: &r, keep: true)
    }
}
