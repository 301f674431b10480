import ELF

/// Little-endian bytes for hand-built sections.
struct ByteWriter {
    var bytes: [UInt8] = []
    var count: Int { bytes.count }

    mutating func u8(_ v: UInt8) { bytes.append(v) }
    mutating func u16(_ v: UInt16) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
    mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
    mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
    mutating func i8(_ v: Int8) { u8(UInt8(bitPattern: v)) }
    mutating func uleb(_ v: UInt64) {
        var v = v
        repeat {
            var byte = UInt8(v & 0x7f)
            v >>= 7
            if v != 0 { byte |= 0x80 }
            u8(byte)
        } while v != 0
    }
    mutating func sleb(_ v: Int64) {
        var v = v
        while true {
            let byte = UInt8(v & 0x7f)
            v >>= 7
            if (v == 0 && byte & 0x40 == 0) || (v == -1 && byte & 0x40 != 0) { u8(byte); return }
            u8(byte | 0x80)
        }
    }
    mutating func cString(_ s: String) { bytes += Array(s.utf8) + [0] }
    /// Reserves four bytes to fill in later.
    mutating func placeholder32() -> Int { defer { u32(0) }; return count }
    mutating func patch32(at offset: Int, _ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { for (i, b) in $0.enumerated() { bytes[offset + i] = b } } }
    /// Writes a 32-bit unit length before `body` and returns the whole unit.
    static func unit(_ body: (inout ByteWriter) -> Void) -> [UInt8] {
        var inner = ByteWriter()
        body(&inner)
        var outer = ByteWriter()
        outer.u32(UInt32(inner.count))
        return outer.bytes + inner.bytes
    }
}

/// A minimal ELF64 x86_64 image holding just the given sections.
func makeELF(sections: [(name: String, bytes: [UInt8])]) -> [UInt8] {
    var names = ByteWriter()
    names.u8(0)
    var nameOffsets: [UInt32] = []
    for section in sections {
        nameOffsets.append(UInt32(names.count))
        names.cString(section.name)
    }
    let shstrtabName = UInt32(names.count)
    names.cString(".shstrtab")

    var body: [UInt8] = []
    var placed: [(offset: Int, size: Int)] = []
    for section in sections + [(name: ".shstrtab", bytes: names.bytes)] {
        while (64 + body.count) % 8 != 0 { body.append(0) }
        placed.append((64 + body.count, section.bytes.count))
        body += section.bytes
    }
    while (64 + body.count) % 8 != 0 { body.append(0) }
    let sectionHeaderOffset = 64 + body.count

    var image = ByteWriter()
    image.bytes = [0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0] + Array(repeating: 0, count: 8)
    image.u16(2)                       // ET_EXEC
    image.u16(62)                      // EM_X86_64
    image.u32(1)
    image.u64(0)                       // entry
    image.u64(0)                       // no program headers
    image.u64(UInt64(sectionHeaderOffset))
    image.u32(0)
    image.u16(64)
    image.u16(56)
    image.u16(0)
    image.u16(64)
    image.u16(UInt16(sections.count + 2))
    image.u16(UInt16(sections.count + 1))
    image.bytes += body
    image.bytes += Array(repeating: 0, count: 64)  // section 0
    for (i, place) in placed.enumerated() {
        image.u32(i < sections.count ? nameOffsets[i] : shstrtabName)
        image.u32(i < sections.count ? 1 : 3)  // PROGBITS, or STRTAB for the names
        image.u64(0)
        image.u64(0)
        image.u64(UInt64(place.offset))
        image.u64(UInt64(place.size))
        image.u32(0)
        image.u32(0)
        image.u64(1)
        image.u64(0)
    }
    return image.bytes
}
