import ELF

/// DW_AT_ranges: .debug_ranges pairs (DWARF 2 to 4) and .debug_rnglists
/// entries (DWARF 5), turned into plain address ranges.
enum RangeLists {
    /// Bounds a list so a corrupt one without an end cannot run away.
    static let maxEntries = 1 << 16

    static func read(_ value: AttributeValue, unit: CompilationUnit, _ sections: DWARFSections) throws(DWARFError) -> [Range<UInt64>] {
        if unit.header.version >= 5 {
            let offset: UInt64
            switch value {
            case .rangeListIndex(let index):
                // The base points just past the list table header (12 bytes when absent).
                let base = unit.rnglistsBase ?? 12
                var r = ByteReader(sections.rnglists)
                do throws(ByteReadError) {
                    guard let at = Int(exactly: base &+ index &* 4), index < UInt64(Int32.max) else {
                        throw ByteReadError(offset: 0, what: "range list index \(index)")
                    }
                    try r.seek(to: at)
                    offset = base &+ UInt64(try r.u32())
                } catch {
                    throw .truncated(section: ".debug_rnglists", error)
                }
            default:
                guard let n = value.number else { return [] }
                offset = n
            }
            return try rangeList(at: offset, unit: unit, sections)
        }
        guard let offset = value.number else { return [] }
        return try legacyRanges(at: offset, unit: unit, sections)
    }

    /// DWARF 2-4: (begin, end) pairs; (0, 0) ends; (max, address) sets the base.
    static func legacyRanges(at offset: UInt64, unit: CompilationUnit, _ sections: DWARFSections) throws(DWARFError) -> [Range<UInt64>] {
        let size = unit.header.addressSize
        let baseMarker: UInt64 = size == 4 ? 0xffff_ffff : .max
        var base = unit.baseAddress
        var result: [Range<UInt64>] = []
        var r = ByteReader(sections.ranges)
        do throws(ByteReadError) {
            guard let at = Int(exactly: offset) else { throw ByteReadError(offset: 0, what: "range list offset \(offset)") }
            try r.seek(to: at)
            for _ in 0 ..< maxEntries {
                let begin = try readAddress(size: size, &r)
                let end = try readAddress(size: size, &r)
                if begin == 0 && end == 0 { break }
                if begin == baseMarker {
                    base = end
                    continue
                }
                let low = base &+ begin, high = base &+ end
                if high > low { result.append(low ..< high) }
            }
        } catch {
            throw .truncated(section: ".debug_ranges", error)
        }
        return result
    }

    /// DWARF 5: DW_RLE_* entries until DW_RLE_end_of_list.
    static func rangeList(at offset: UInt64, unit: CompilationUnit, _ sections: DWARFSections) throws(DWARFError) -> [Range<UInt64>] {
        let size = unit.header.addressSize
        var base = unit.baseAddress
        var result: [Range<UInt64>] = []
        var r = ByteReader(sections.rnglists)
        func indexed(_ index: UInt64) throws(ByteReadError) -> UInt64 {
            guard let a = unit.address(index: index, sections) else {
                throw ByteReadError(offset: r.offset, what: "address index \(index) in .debug_addr")
            }
            return a
        }
        func add(_ low: UInt64, _ high: UInt64) { if high > low { result.append(low ..< high) } }
        do throws(ByteReadError) {
            guard let at = Int(exactly: offset) else { throw ByteReadError(offset: 0, what: "range list offset \(offset)") }
            try r.seek(to: at)
            loop: for _ in 0 ..< maxEntries {
                switch try r.u8() {
                case DWRangeListEntry.endOfList: break loop
                case DWRangeListEntry.baseAddressx: base = try indexed(try r.uleb128())
                case DWRangeListEntry.startxEndx:
                    let low = try indexed(try r.uleb128())
                    add(low, try indexed(try r.uleb128()))
                case DWRangeListEntry.startxLength:
                    let low = try indexed(try r.uleb128())
                    add(low, low &+ (try r.uleb128()))
                case DWRangeListEntry.offsetPair:
                    let low = try r.uleb128(), high = try r.uleb128()
                    add(base &+ low, base &+ high)
                case DWRangeListEntry.baseAddress: base = try readAddress(size: size, &r)
                case DWRangeListEntry.startEnd:
                    let low = try readAddress(size: size, &r)
                    add(low, try readAddress(size: size, &r))
                case DWRangeListEntry.startLength:
                    let low = try readAddress(size: size, &r)
                    add(low, low &+ (try r.uleb128()))
                case let kind:
                    throw ByteReadError(offset: r.offset - 1, what: "range list entry kind \(kind)")
                }
            }
        } catch {
            throw .truncated(section: ".debug_rnglists", error)
        }
        return result
    }
}
