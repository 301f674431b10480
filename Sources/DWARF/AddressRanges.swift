import ELF

/// .debug_aranges: which unit covers which addresses, without reading any DIE.
enum AddressRanges {
    /// (start, end, unit offset) for every range of every set; a corrupt set
    /// ends the scan but keeps what came before it.
    static func read(_ section: UnsafeRawBufferPointer) -> [(start: UInt64, end: UInt64, payload: Int)] {
        var result: [(start: UInt64, end: UInt64, payload: Int)] = []
        var offset = 0
        while offset < section.count {
            var r = ByteReader(section, offset: offset)
            do throws(ByteReadError) {
                let length = try r.u32()
                guard length < 0xffff_fff0, Int(length) <= r.remaining, length >= 8 else { return result }
                let end = r.offset + Int(length)
                defer { offset = end }
                let version = try r.u16()
                let unitOffset = Int(try r.u32())
                let addressSize = try r.u8()
                let segmentSize = try r.u8()
                guard version == 2, segmentSize == 0, addressSize == 4 || addressSize == 8 else { continue }
                // Tuples start at a multiple of twice the address size from the set's start.
                let tupleSize = 2 * Int(addressSize)
                let headerEnd = r.offset - offset
                try r.skip((tupleSize - headerEnd % tupleSize) % tupleSize)
                while r.offset + tupleSize <= end {
                    let start = try readAddress(size: addressSize, &r)
                    let length = try readAddress(size: addressSize, &r)
                    if start == 0 && length == 0 { break }
                    result.append((start, start &+ length, unitOffset))
                }
            } catch {
                return result
            }
        }
        return result
    }
}
