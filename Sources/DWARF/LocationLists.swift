import ELF

/// DW_AT_location (and DW_AT_frame_base, DW_AT_call_value): one expression,
/// or a list of them by pc range in .debug_loc (DWARF 2-4) or
/// .debug_loclists (DWARF 5). Finds the expression that holds at one pc.
enum LocationLists {
    /// Bounds a list so a corrupt one without an end cannot run away.
    static let maxEntries = 1 << 14

    /// The expression for `pc` (a file address), nil when none covers it
    /// (the value is optimized out there) or the list cannot be read.
    static func expression(_ value: AttributeValue, at pc: UInt64, unit: CompilationUnit,
                           _ sections: DWARFSections) -> UnsafeRawBufferPointer? {
        switch value {
        case .block(let offset, let length):
            return slice(sections.info, offset, length)
        case .locationListIndex(let index):
            guard let offset = listOffset(index: index, unit: unit, sections) else { return nil }
            return try? loclist(at: offset, pc: pc, unit: unit, sections)
        default:
            guard let offset = value.number else { return nil }
            if unit.header.version >= 5 { return try? loclist(at: offset, pc: pc, unit: unit, sections) }
            return try? legacyList(at: offset, pc: pc, unit: unit, sections)
        }
    }

    static func slice(_ section: UnsafeRawBufferPointer, _ offset: Int, _ length: Int) -> UnsafeRawBufferPointer? {
        guard offset >= 0, length >= 0, offset <= section.count, section.count - offset >= length else { return nil }
        return UnsafeRawBufferPointer(rebasing: section[offset ..< offset + length])
    }

    /// DW_FORM_loclistx: an index into the offsets after DW_AT_loclists_base.
    static func listOffset(index: UInt64, unit: CompilationUnit, _ sections: DWARFSections) -> UInt64? {
        // Without a base, the offsets start right after the 12-byte table header.
        let base = unit.loclistsBase ?? 12
        guard index < UInt64(Int32.max), let at = Int(exactly: base &+ index &* 4), base &+ index &* 4 >= base else { return nil }
        var r = ByteReader(sections.loclists, offset: at)
        guard let relative = try? r.u32() else { return nil }
        return base &+ UInt64(relative)
    }

    /// DWARF 2-4: (begin, end) pairs then a 2-byte length and the
    /// expression; (0, 0) ends; (max, address) sets the base.
    static func legacyList(at offset: UInt64, pc: UInt64, unit: CompilationUnit,
                           _ sections: DWARFSections) throws(ByteReadError) -> UnsafeRawBufferPointer? {
        let size = unit.header.addressSize
        let baseMarker: UInt64 = size == 4 ? 0xffff_ffff : .max
        var base = unit.baseAddress
        guard let at = Int(exactly: offset) else { throw ByteReadError(offset: 0, what: "location list offset \(offset)") }
        var r = ByteReader(sections.loc)
        try r.seek(to: at)
        for _ in 0 ..< maxEntries {
            let begin = try readAddress(size: size, &r)
            let end = try readAddress(size: size, &r)
            if begin == 0 && end == 0 { return nil }
            if begin == baseMarker {
                base = end
                continue
            }
            let length = Int(try r.u16())
            let expression = try r.bytes(length)
            if pc >= base &+ begin, pc < base &+ end { return expression }
        }
        return nil
    }

    /// DWARF 5: DW_LLE_* entries until DW_LLE_end_of_list, each range with
    /// a ULEB128-sized expression.
    static func loclist(at offset: UInt64, pc: UInt64, unit: CompilationUnit,
                        _ sections: DWARFSections) throws(ByteReadError) -> UnsafeRawBufferPointer? {
        let size = unit.header.addressSize
        var base = unit.baseAddress
        var fallback: UnsafeRawBufferPointer? = nil
        guard let at = Int(exactly: offset) else { throw ByteReadError(offset: 0, what: "location list offset \(offset)") }
        var r = ByteReader(sections.loclists)
        try r.seek(to: at)
        func indexed(_ index: UInt64) throws(ByteReadError) -> UInt64 {
            guard let a = unit.address(index: index, sections) else {
                throw ByteReadError(offset: r.offset, what: "address index \(index) in .debug_addr")
            }
            return a
        }
        func expression() throws(ByteReadError) -> UnsafeRawBufferPointer {
            let length = try r.uleb128()
            guard length <= UInt64(r.remaining) else { throw ByteReadError(offset: r.offset, what: "expression of \(length) bytes") }
            return try r.bytes(Int(length))
        }
        for _ in 0 ..< maxEntries {
            let kindOffset = r.offset
            var range: (UInt64, UInt64)? = nil
            switch try r.u8() {
            case DWLocationListEntry.endOfList: return fallback
            case DWLocationListEntry.baseAddressx: base = try indexed(try r.uleb128())
            case DWLocationListEntry.startxEndx:
                let low = try indexed(try r.uleb128())
                range = (low, try indexed(try r.uleb128()))
            case DWLocationListEntry.startxLength:
                let low = try indexed(try r.uleb128())
                range = (low, low &+ (try r.uleb128()))
            case DWLocationListEntry.offsetPair:
                let low = try r.uleb128(), high = try r.uleb128()
                range = (base &+ low, base &+ high)
            case DWLocationListEntry.defaultLocation: fallback = try expression()
            case DWLocationListEntry.baseAddress: base = try readAddress(size: size, &r)
            case DWLocationListEntry.startEnd:
                let low = try readAddress(size: size, &r)
                range = (low, try readAddress(size: size, &r))
            case DWLocationListEntry.startLength:
                let low = try readAddress(size: size, &r)
                range = (low, low &+ (try r.uleb128()))
            case DWLocationListEntry.gnuViewPair:
                // Location views: which of several entries at one pc; gdb ignores them too.
                _ = try r.uleb128()
                _ = try r.uleb128()
            case let kind:
                throw ByteReadError(offset: kindOffset, what: "location list entry kind \(kind)")
            }
            if let (low, high) = range {
                let bytes = try expression()
                if pc >= low, pc < high { return bytes }
            }
        }
        return nil
    }
}
