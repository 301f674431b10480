import ELF

/// A unit ready for lookups: its header, abbreviations, and the attributes of
/// its top DIE that other values are resolved against (string, address and
/// range list bases, the compilation directory, the line table).
struct CompilationUnit: Sendable {
    let header: UnitHeader
    let abbreviations: AbbreviationTable
    let tag: UInt64
    var name: String?
    var compDir: String?
    var lineTableOffset: Int?
    /// DW_AT_language: C++ and Rust functions are named as gdb names them there.
    var language: UInt64?
    /// DW_AT_low_pc: the base address for range lists and location lists.
    var baseAddress: UInt64 = 0
    var strOffsetsBase: UInt64 = 8
    var addrBase: UInt64 = 8
    var rnglistsBase: UInt64?
    var loclistsBase: UInt64?
    /// The top DIE's own pc ranges, unresolved.
    var lowPC: AttributeValue?
    var highPC: AttributeValue?
    var ranges: AttributeValue?

    var encoding: UnitEncoding { header.encoding }

    init(header: UnitHeader, sections: DWARFSections, abbreviations: AbbreviationTable) throws(DWARFError) {
        self.header = header
        self.abbreviations = abbreviations
        var r = ByteReader(sections.info, offset: header.firstDIEOffset)
        var values: [(UInt64, AttributeValue)] = []
        let abbreviation: Abbreviation
        do throws(ByteReadError) {
            let code = try r.uleb128()
            guard let found = abbreviations[code] else {
                throw ByteReadError(offset: header.firstDIEOffset, what: "top DIE with unknown abbreviation \(code)")
            }
            abbreviation = found
            for spec in found.attributes {
                let value = try readAttributeValue(form: spec.form, implicitConst: spec.implicitConst,
                                                   encoding: header.encoding, reader: &r)
                values.append((spec.name, value))
            }
        } catch {
            throw .truncated(section: ".debug_info", error)
        }
        tag = abbreviation.tag
        // Bases first: the other values may be indices that need them.
        for (name, value) in values {
            switch name {
            case DWAttribute.strOffsetsBase: if let n = value.number { strOffsetsBase = n }
            case DWAttribute.addrBase, DWAttribute.gnuAddrBase: if let n = value.number { addrBase = n }
            case DWAttribute.rnglistsBase, DWAttribute.gnuRangesBase: rnglistsBase = value.number
            case DWArgumentAttribute.loclistsBase: loclistsBase = value.number
            default: break
            }
        }
        for (name, value) in values {
            switch name {
            case DWAttribute.name: self.name = string(value, sections)
            case DWAttribute.compDir: compDir = string(value, sections)
            case DWAttribute.stmtList: lineTableOffset = value.number.flatMap { Int(exactly: $0) }
            case DWAttribute.language: language = value.number
            case DWAttribute.lowPC:
                lowPC = value
                baseAddress = address(value, sections) ?? 0
            case DWAttribute.highPC: highPC = value
            case DWAttribute.ranges: ranges = value
            default: break
            }
        }
    }

    // MARK: Resolving values

    func string(_ value: AttributeValue, _ sections: DWARFSections) -> String? {
        switch value {
        case .inlineString(let offset): return DWARFSections.string(in: sections.info, at: UInt64(offset))
        case .stringOffset(let offset): return DWARFSections.string(in: sections.str, at: offset)
        case .lineStringOffset(let offset): return DWARFSections.string(in: sections.lineStr, at: offset)
        case .stringIndex(let index):
            guard let offset = stringOffset(index: index, sections) else { return nil }
            return DWARFSections.string(in: sections.str, at: offset)
        default: return nil
        }
    }

    func stringOffset(index: UInt64, _ sections: DWARFSections) -> UInt64? {
        let (scaled, overflow) = index.multipliedReportingOverflow(by: 4)
        guard !overflow, let at = Int(exactly: strOffsetsBase &+ scaled), strOffsetsBase &+ scaled >= scaled else { return nil }
        var r = ByteReader(sections.strOffsets, offset: at)
        return (try? r.u32()).map(UInt64.init)
    }

    func address(_ value: AttributeValue, _ sections: DWARFSections) -> UInt64? {
        switch value {
        case .address(let a): return a
        case .addressIndex(let index): return address(index: index, sections)
        default: return nil
        }
    }

    func address(index: UInt64, _ sections: DWARFSections) -> UInt64? {
        let size = UInt64(header.addressSize)
        let (scaled, overflow) = index.multipliedReportingOverflow(by: size)
        let (at, overflow2) = addrBase.addingReportingOverflow(scaled)
        guard !overflow, !overflow2, let offset = Int(exactly: at) else { return nil }
        var r = ByteReader(sections.addr, offset: offset)
        return try? readAddress(size: header.addressSize, &r)
    }

    /// The [low, high) ranges a DIE covers, from DW_AT_low_pc/high_pc or DW_AT_ranges.
    func pcRanges(lowPC: AttributeValue?, highPC: AttributeValue?, ranges: AttributeValue?,
                  _ sections: DWARFSections) -> [Range<UInt64>] {
        if let ranges {
            return (try? RangeLists.read(ranges, unit: self, sections)) ?? []
        }
        guard let lowPC, let low = address(lowPC, sections), let highPC else { return [] }
        let high: UInt64
        switch highPC {
        case .address, .addressIndex:
            guard let a = address(highPC, sections) else { return [] }
            high = a
        default:
            // DWARF 4+: a constant high_pc is the length.
            guard let length = highPC.number else { return [] }
            high = low &+ length
        }
        return high > low ? [low ..< high] : []
    }

    /// The addresses the unit's own DIE claims.
    func ownRanges(_ sections: DWARFSections) -> [Range<UInt64>] {
        pcRanges(lowPC: lowPC, highPC: highPC, ranges: ranges, sections)
    }
}
