import ELF

/// An FDE: the pc range of one function and the instructions that build its
/// unwind rows, on top of its CIE's initial instructions.
public struct FrameDescriptionEntry: Sendable, Equatable {
    public let offset: Int
    public let cieOffset: Int
    /// File address of the first instruction covered.
    public let pcBegin: FileAddress
    public let pcRange: UInt64
    public let lsda: UInt64?
    /// Section offsets of the FDE's instructions.
    public let instructions: Range<Int>

    public var pcEnd: FileAddress { pcBegin + pcRange }
    public func contains(_ pc: FileAddress) -> Bool { pc >= pcBegin && pc.offset(from: pcBegin) < pcRange }

    static func parse(_ section: CFISection, header h: CFIEntryHeader, cie: CommonInformationEntry,
                      bases: PointerContext) throws(CFIError) -> FrameDescriptionEntry {
        guard !h.isCIE else { throw CFIError(.notAnFDE, section: section.kind, offset: h.offset) }
        let limited = UnsafeRawBufferPointer(rebasing: section.bytes[0..<h.end])
        var c = CFICursor(limited, section: section.kind, offset: h.bodyOffset)
        var context = bases
        context.sectionAddress = section.address.rawValue
        context.addressSize = cie.addressSize
        if cie.segmentSelectorSize > 0 { try c.skip(cie.segmentSelectorSize) }
        let pcBegin = try c.pointer(cie.fdeEncoding, context)
        let pcRange = try c.value(format: cie.fdeEncoding.format, addressSize: cie.addressSize,
                                  rawEncoding: cie.fdeEncoding.rawValue)
        var lsda: UInt64? = nil
        if cie.hasAugmentationData {
            let length = try c.blockLength()
            let dataEnd = c.offset + length
            if !cie.lsdaEncoding.isOmit, length > 0 {
                context.functionBase = pcBegin
                var peek = c
                lsda = try? peek.pointer(cie.lsdaEncoding, context, resolveIndirect: false)
            }
            try c.seek(to: dataEnd)
        }
        return FrameDescriptionEntry(offset: h.offset, cieOffset: h.cieOffset, pcBegin: FileAddress(pcBegin),
                                     pcRange: pcRange, lsda: lsda, instructions: c.offset..<h.end)
    }
}
