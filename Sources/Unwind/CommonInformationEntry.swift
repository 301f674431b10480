/// A CIE: what a group of FDEs shares — alignment factors, the return-address
/// column, pointer encodings and the initial instructions.
public struct CommonInformationEntry: Sendable, Equatable {
    /// Offset of the entry in its section.
    public let offset: Int
    public let version: UInt8
    public let augmentation: String
    public let codeAlignment: UInt64
    public let dataAlignment: Int64
    public let returnAddressRegister: UInt64
    /// How FDE pc_begin/pc_range are encoded ("R"; absptr otherwise).
    public let fdeEncoding: PointerEncoding
    /// "L": FDEs carry an LSDA pointer in this encoding.
    public let lsdaEncoding: PointerEncoding
    /// "P": the personality routine (unresolved if indirect); unused for unwinding.
    public let personality: UInt64?
    /// "S": FDEs using this CIE describe a signal trampoline.
    public let isSignalFrame: Bool
    /// "z": FDEs have an augmentation-data length.
    public let hasAugmentationData: Bool
    public let addressSize: Int
    public let segmentSelectorSize: Int
    /// Section offsets of the initial instructions.
    public let instructions: Range<Int>

    static func parse(_ section: CFISection, header h: CFIEntryHeader,
                      addressSize defaultAddressSize: Int) throws(CFIError) -> CommonInformationEntry {
        guard h.isCIE else { throw CFIError(.notACIE, section: section.kind, offset: h.offset) }
        let limited = UnsafeRawBufferPointer(rebasing: section.bytes[0..<h.end])
        var c = CFICursor(limited, section: section.kind, offset: h.bodyOffset)
        let version = try c.u8()
        guard version == 1 || version == 3 || version == 4 else {
            throw c.error(.unsupportedVersion(version), at: h.bodyOffset)
        }
        let augmentation = try c.cString()
        var addressSize = defaultAddressSize
        var segmentSelectorSize = 0
        // Old GCC "eh" augmentation: an address-sized pointer to EH data follows.
        if augmentation.hasPrefix("eh") { try c.skip(defaultAddressSize) }
        if version == 4 {
            addressSize = Int(try c.u8())
            segmentSelectorSize = Int(try c.u8())
            guard addressSize == 2 || addressSize == 4 || addressSize == 8 else {
                throw c.error(.badLength(UInt64(addressSize)))
            }
        }
        let codeAlignment = try c.uleb128()
        let dataAlignment = try c.sleb128()
        let ra = version == 1 ? UInt64(try c.u8()) : try c.uleb128()

        var fdeEncoding = PointerEncoding.absptr
        var lsdaEncoding = PointerEncoding.omit
        var personality: UInt64? = nil
        var isSignal = false
        let hasZ = augmentation.first == "z"
        if hasZ {
            let length = try c.blockLength()
            let dataEnd = c.offset + length
            let context = PointerContext(sectionAddress: section.address.rawValue, addressSize: addressSize)
            scan: for ch in augmentation.utf8.dropFirst() {
                switch ch {
                case UInt8(ascii: "R"): fdeEncoding = PointerEncoding(try c.u8())
                case UInt8(ascii: "L"): lsdaEncoding = PointerEncoding(try c.u8())
                case UInt8(ascii: "P"):
                    let enc = PointerEncoding(try c.u8())
                    // A personality with a base we lack is not worth failing
                    // over: decode it if we can, and always step past it.
                    var peek = c
                    personality = try? peek.pointer(enc, context, resolveIndirect: false)
                    try c.skipPointer(enc, context)
                case UInt8(ascii: "S"): isSignal = true
                case UInt8(ascii: "B"), UInt8(ascii: "G"): continue  // aarch64 BTI / MTE markers
                default: break scan  // unknown: the length lets us skip the rest
                }
            }
            guard dataEnd <= h.end else { throw c.error(.badLength(UInt64(length))) }
            // "S" may follow an unknown letter; look for it anyway.
            if augmentation.utf8.contains(UInt8(ascii: "S")) { isSignal = true }
            try c.seek(to: dataEnd)
        } else if !(augmentation.isEmpty || augmentation == "eh") {
            throw c.error(.unknownAugmentation(augmentation), at: h.bodyOffset)
        }
        return CommonInformationEntry(
            offset: h.offset, version: version, augmentation: augmentation,
            codeAlignment: codeAlignment, dataAlignment: dataAlignment, returnAddressRegister: ra,
            fdeEncoding: fdeEncoding, lsdaEncoding: lsdaEncoding, personality: personality,
            isSignalFrame: isSignal, hasAugmentationData: hasZ, addressSize: addressSize,
            segmentSelectorSize: segmentSelectorSize, instructions: c.offset..<h.end)
    }
}
