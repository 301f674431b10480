import ELF

/// `.eh_frame_hdr`: a pointer to `.eh_frame` and a table of (initial pc, FDE
/// address) pairs sorted by pc, so the FDE for a pc is a binary search away.
public struct EhFrameHeader: Sendable, Equatable {
    public let version: UInt8
    /// File address of `.eh_frame`.
    public let ehFramePointer: FileAddress
    public let fdeCount: Int
    public let tableEncoding: PointerEncoding
    /// Offset of the table within the header section.
    public let tableOffset: Int
    /// Bytes per table entry (two encoded values).
    public let entrySize: Int

    public static func parse(_ section: CFISection, addressSize: Int = 8) throws(CFIError) -> EhFrameHeader {
        var c = CFICursor(section.bytes, section: .ehFrameHeader)
        let version = try c.u8()
        guard version == 1 else { throw c.error(.headerVersion(version), at: 0) }
        let ptrEnc = PointerEncoding(try c.u8())
        let countEnc = PointerEncoding(try c.u8())
        let tableEnc = PointerEncoding(try c.u8())
        let ctx = PointerContext(sectionAddress: section.address.rawValue, dataBase: section.address.rawValue, addressSize: addressSize)
        let ehFramePointer = try c.pointer(ptrEnc, ctx)
        var count = 0
        if !countEnc.isOmit {
            let countOffset = c.offset
            let n = try c.pointer(countEnc, ctx)
            guard n <= UInt64(section.bytes.count) else { throw c.error(.badLength(n), at: countOffset) }
            count = Int(n)
        }
        var entrySize = 0
        if count > 0 {
            guard !tableEnc.isOmit, !tableEnc.isIndirect, let size = tableEnc.fixedSize(addressSize: addressSize),
                  tableEnc.application != PointerEncoding.aligned
            else { throw c.error(.unsearchableTable(tableEnc.rawValue), at: 3) }
            entrySize = 2 * size
            guard count * entrySize <= c.remaining else { throw c.error(.badLength(UInt64(count)), at: c.offset) }
        }
        return EhFrameHeader(version: version, ehFramePointer: FileAddress(ehFramePointer), fdeCount: count,
                             tableEncoding: tableEnc, tableOffset: c.offset, entrySize: entrySize)
    }

    /// Table entry `index`: the FDE's initial pc and its file address.
    public func entry(_ index: Int, in section: CFISection) throws(CFIError) -> (pc: FileAddress, fde: FileAddress) {
        var c = CFICursor(section.bytes, section: .ehFrameHeader, offset: tableOffset + index * entrySize)
        let ctx = PointerContext(sectionAddress: section.address.rawValue, dataBase: section.address.rawValue)
        let pc = try c.pointer(tableEncoding, ctx)
        let fde = try c.pointer(tableEncoding, ctx)
        return (FileAddress(pc), FileAddress(fde))
    }

    /// The address of the FDE whose initial pc is the greatest not above `pc`;
    /// the caller still checks the FDE's range.
    public func search(_ pc: FileAddress, in section: CFISection) throws(CFIError) -> FileAddress? {
        guard fdeCount > 0 else { return nil }
        // Fast path for the near-universal datarel|sdata4 table.
        if tableEncoding.rawValue == 0x3b {
            let base = section.bytes.baseAddress! + tableOffset
            let target = Int64(bitPattern: pc.offset(from: section.address))
            var lo = 0, hi = fdeCount
            while lo < hi {
                let mid = (lo + hi) / 2
                let v = Int64(Int32(littleEndian: base.loadUnaligned(fromByteOffset: mid * 8, as: Int32.self)))
                if v <= target { lo = mid + 1 } else { hi = mid }
            }
            guard lo > 0 else { return nil }
            let fdeRel = Int32(littleEndian: base.loadUnaligned(fromByteOffset: (lo - 1) * 8 + 4, as: Int32.self))
            return section.address + UInt64(bitPattern: Int64(fdeRel))
        }
        var lo = 0, hi = fdeCount
        while lo < hi {
            let mid = (lo + hi) / 2
            if try entry(mid, in: section).pc <= pc { lo = mid + 1 } else { hi = mid }
        }
        guard lo > 0 else { return nil }
        return try entry(lo - 1, in: section).fde
    }
}
