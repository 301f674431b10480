/// The pclntab layouts, told apart by the header's magic. Each changed where
/// a function's fields sit (runtime/symtab.go, debug/gosym/pclntab.go).
public enum GoPCLNVersion: Sendable, Equatable {
    /// Go 1.16 and 1.17: entry pcs are absolute pointers.
    case go116
    /// Go 1.18 and 1.19: entry pcs are 32-bit offsets from textStart.
    case go118
    /// Go 1.20 on: as 1.18, and each function records its start line.
    case go120

    init?(magic: UInt32) {
        switch magic {
        case 0xffff_fffa: self = .go116
        case 0xffff_fff0: self = .go118
        case 0xffff_fff1: self = .go120
        default: return nil
        }
    }

    /// Entries are offsets from the text start rather than addresses.
    var entriesAreOffsets: Bool { self != .go116 }

    /// Bytes of one functab field (an entry pc or a func offset).
    func functabFieldSize(pointerSize: Int) -> Int { entriesAreOffsets ? 4 : pointerSize }

    /// Where `_func.pcsp` sits: after the entry, nameoff, args and deferreturn.
    func pcspFieldOffset(pointerSize: Int) -> Int { entrySize(pointerSize) + 12 }

    /// Where `_func.funcID` sits; `flag` is the byte after it (zero padding in 1.16).
    func funcIDFieldOffset(pointerSize: Int) -> Int {
        // entry, then nameoff, args, deferreturn, pcsp, pcfile, pcln, npcdata,
        // cuOffset (8 words of 4 bytes), and from 1.20 startLine.
        entrySize(pointerSize) + 32 + (self == .go120 ? 4 : 0)
    }

    /// Where `_func.npcdata` sits, after entry, nameoff, args, deferreturn, pcsp, pcfile, pcln.
    func pcdataCountFieldOffset(pointerSize: Int) -> Int { entrySize(pointerSize) + 24 }

    /// Where `_func.nfuncdata` sits: the last byte before the pcdata offsets.
    func funcdataCountFieldOffset(pointerSize: Int) -> Int { funcIDFieldOffset(pointerSize: pointerSize) + 3 }

    /// Where the pcdata offsets (u32 each, into pctab) begin; funcdata follows them.
    func pcdataFieldOffset(pointerSize: Int) -> Int { funcIDFieldOffset(pointerSize: pointerSize) + 4 }

    /// Bytes of one runtime.inlinedCall, and where its name offset sits.
    /// Up to 1.19: parent, funcID, file, line, func_, parentPc; from 1.20:
    /// funcID, nameOff, parentPc, startLine.
    var inlinedCallSize: Int { self == .go120 ? 16 : 20 }
    var inlinedCallNameOffset: Int { self == .go120 ? 4 : 12 }
    var inlinedCallParentPCOffset: Int { self == .go120 ? 8 : 16 }

    /// Where runtime.moduledata keeps `gofunc`, the base funcdata offsets
    /// count from (1.18 on; 1.20 added covctrs before it), and `text`.
    var moduleDataFunctionDataOffset: Int? {
        switch self {
        case .go116: nil
        case .go118: 304
        case .go120: 320
        }
    }
    static let moduleDataTextOffset = 176

    private func entrySize(_ pointerSize: Int) -> Int { entriesAreOffsets ? 4 : pointerSize }
}
