import ELF

/// Raw bytes of one CFI section and the file address of its first byte.
/// The bytes are borrowed: whoever builds an `UnwindTable` keeps them alive
/// (it can hand the table an owner object to retain).
public struct CFISection: @unchecked Sendable {
    public let bytes: UnsafeRawBufferPointer
    public let address: FileAddress
    public let kind: CFISectionKind

    public init(bytes: UnsafeRawBufferPointer, address: FileAddress, kind: CFISectionKind) {
        self.bytes = bytes
        self.address = address
        self.kind = kind
    }

    var isEhFrame: Bool { kind == .ehFrame }
}

/// The length/id prologue every CIE and FDE starts with.
struct CFIEntryHeader {
    /// Offset of the length field.
    let offset: Int
    /// Offset of the CIE id / CIE pointer field.
    let idOffset: Int
    /// Offset just past the entry.
    let end: Int
    /// Offset just past the id field: where the body starts.
    let bodyOffset: Int
    let is64: Bool
    let isCIE: Bool
    /// For an FDE, the section offset of its CIE.
    let cieOffset: Int

    /// Reads the header at `offset`; nil for the zero terminator of .eh_frame.
    static func read(_ section: CFISection, at offset: Int) throws(CFIError) -> CFIEntryHeader? {
        var c = CFICursor(section.bytes, section: section.kind, offset: offset)
        try c.seek(to: offset)
        var length = UInt64(try c.u32())
        var is64 = false
        if length == 0xffff_ffff {
            length = try c.u64()
            is64 = true
        }
        if length == 0 {
            if section.isEhFrame { return nil }
            throw c.error(.badLength(0), at: offset)
        }
        let idOffset = c.offset
        guard length <= UInt64(c.remaining) else { throw c.error(.badLength(length), at: offset) }
        let end = idOffset + Int(length)
        // .eh_frame keeps a 4-byte CIE pointer even in 64-bit entries (LSB);
        // .debug_frame uses the offset size.
        let idSize = (is64 && !section.isEhFrame) ? 8 : 4
        guard Int(length) >= idSize else { throw c.error(.badLength(length), at: offset) }
        let id = idSize == 8 ? try c.u64() : UInt64(try c.u32())
        let isCIE: Bool
        var cieOffset = 0
        if section.isEhFrame {
            isCIE = id == 0
            if !isCIE {
                // A backwards distance from the id field to the CIE.
                guard id <= UInt64(idOffset) else { throw c.error(.badCIEPointer(id), at: idOffset) }
                cieOffset = idOffset - Int(id)
            }
        } else {
            isCIE = idSize == 8 ? id == UInt64.max : id == 0xffff_ffff
            if !isCIE {
                guard id < UInt64(section.bytes.count) else { throw c.error(.badCIEPointer(id), at: idOffset) }
                cieOffset = Int(id)
            }
        }
        return CFIEntryHeader(offset: offset, idOffset: idOffset, end: end, bodyOffset: c.offset,
                              is64: is64, isCIE: isCIE, cieOffset: cieOffset)
    }
}
