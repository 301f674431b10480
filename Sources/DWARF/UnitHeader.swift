import ELF

/// A unit header in .debug_info (DWARF 2 to 5, 32-bit format).
struct UnitHeader: Sendable {
    /// Absolute offset of the header in .debug_info.
    let offset: Int
    /// Offset just past the unit.
    let end: Int
    let version: UInt16
    let unitType: UInt8
    let addressSize: UInt8
    let abbreviationOffset: Int
    /// Offset of the unit's first DIE.
    let firstDIEOffset: Int

    var encoding: UnitEncoding { UnitEncoding(version: version, addressSize: addressSize, unitOffset: offset) }

    /// Reads the header at `offset`, returning the header or, for a unit we do
    /// not read (64-bit DWARF, unknown version), nil plus where the next unit starts.
    static func read(_ info: UnsafeRawBufferPointer, at offset: Int) throws(DWARFError) -> (header: UnitHeader?, next: Int) {
        var r = ByteReader(info, offset: offset)
        do {
            let length32 = try r.u32()
            if length32 == 0xffff_ffff {
                // 64-bit DWARF: step over it and read no further.
                let length = try r.u64()
                guard length <= UInt64(r.remaining) else {
                    throw ByteReadError(offset: offset, what: "64-bit unit of \(length) bytes")
                }
                return (nil, r.offset + Int(length))
            }
            guard length32 < 0xffff_fff0 else {
                throw DWARFError.malformed(section: ".debug_info", offset: offset, what: "unit length 0x\(String(length32, radix: 16))")
            }
            guard Int(length32) <= r.remaining, length32 >= 2 else {
                throw ByteReadError(offset: offset, what: "unit of \(length32) bytes")
            }
            let end = r.offset + Int(length32)
            let version = try r.u16()
            let unitType: UInt8, addressSize: UInt8, abbreviationOffset: UInt32
            switch version {
            case 2, 3, 4:
                abbreviationOffset = try r.u32()
                addressSize = try r.u8()
                unitType = DWUnitType.compile
            case 5:
                unitType = try r.u8()
                addressSize = try r.u8()
                abbreviationOffset = try r.u32()
                switch unitType {
                case 2, 6: try r.skip(12)  // type units: signature and type offset
                case 4, 5: try r.skip(8)   // skeleton and split units: dwo id
                default: break
                }
            default:
                return (nil, end)
            }
            guard r.offset <= end else { throw ByteReadError(offset: offset, what: "unit header") }
            let header = UnitHeader(offset: offset, end: end, version: version, unitType: unitType,
                                    addressSize: addressSize, abbreviationOffset: Int(abbreviationOffset),
                                    firstDIEOffset: r.offset)
            return (header, end)
        } catch let error as ByteReadError {
            throw .truncated(section: ".debug_info", error)
        } catch let error as DWARFError {
            throw error
        } catch {
            throw .malformed(section: ".debug_info", offset: offset, what: "unit header")
        }
    }
}

/// Every unit header in .debug_info, found by hopping from length to length
/// (no DIE is read), sorted by offset for lookups by DIE offset.
struct UnitDirectory: Sendable {
    private(set) var units: [UnitHeader] = []

    /// Empty, filled by `insert`.
    init() {}

    init(info: UnsafeRawBufferPointer) {
        var offset = 0
        while offset < info.count {
            guard let (header, next) = try? UnitHeader.read(info, at: offset), next > offset else { break }
            if let header { units.append(header) }
            offset = next
        }
    }

    /// The unit whose bytes hold `offset`.
    func unit(containing offset: Int) -> UnitHeader? {
        let after = firstIndex(after: offset)
        guard after > 0, offset < units[after - 1].end else { return nil }
        return units[after - 1]
    }

    /// Adds a header, keeping the order (a header already here is not added twice).
    mutating func insert(_ header: UnitHeader) {
        let after = firstIndex(after: header.offset)
        if after > 0, units[after - 1].offset == header.offset { return }
        units.insert(header, at: after)
    }

    /// The index of the first unit whose header is past `offset`.
    private func firstIndex(after offset: Int) -> Int {
        var low = 0, high = units.count
        while low < high {
            let mid = (low + high) / 2
            if units[mid].offset <= offset { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
