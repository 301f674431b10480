// The constants frame arguments need: locations, types and call sites
// (DWARF 5 spec, section 7), with the GNU forms gcc emitted before DWARF 5.

enum DWArgumentTag {
    static let member: UInt64 = 0x0d
    static let enumerator: UInt64 = 0x28
    static let callSite: UInt64 = 0x48
    static let callSiteParameter: UInt64 = 0x49
    static let gnuCallSite: UInt64 = 0x4109
    static let gnuCallSiteParameter: UInt64 = 0x410a
    static let pointerToMember: UInt64 = 0x1f
    static let atomicType: UInt64 = 0x47
}

enum DWArgumentAttribute {
    static let location: UInt64 = 0x02
    static let byteSize: UInt64 = 0x0b
    static let constValue: UInt64 = 0x1c
    static let upperBound: UInt64 = 0x2f
    static let encoding: UInt64 = 0x3e
    static let frameBase: UInt64 = 0x40
    static let declaration: UInt64 = 0x3c
    static let callReturnPC: UInt64 = 0x7d
    static let callValue: UInt64 = 0x7e
    static let callOrigin: UInt64 = 0x7f
    static let callTailCall: UInt64 = 0x82
    static let callTarget: UInt64 = 0x83
    static let gnuTailCall: UInt64 = 0x2115
    static let loclistsBase: UInt64 = 0x8c
    static let gnuCallSiteValue: UInt64 = 0x2111
    static let gnuCallSiteTarget: UInt64 = 0x2113
}

/// DW_ATE_*: how a base type's bits are read.
enum DWBaseEncoding {
    static let address: UInt64 = 0x01
    static let boolean: UInt64 = 0x02
    static let float: UInt64 = 0x04
    static let signed: UInt64 = 0x05
    static let signedChar: UInt64 = 0x06
    static let unsigned: UInt64 = 0x07
    static let unsignedChar: UInt64 = 0x08
    static let utf: UInt64 = 0x10
}

/// DW_LLE_*: .debug_loclists entry kinds (DW_LLE_GNU_view_pair is gcc's).
enum DWLocationListEntry {
    static let endOfList: UInt8 = 0
    static let baseAddressx: UInt8 = 1
    static let startxEndx: UInt8 = 2
    static let startxLength: UInt8 = 3
    static let offsetPair: UInt8 = 4
    static let defaultLocation: UInt8 = 5
    static let baseAddress: UInt8 = 6
    static let startEnd: UInt8 = 7
    static let startLength: UInt8 = 8
    static let gnuViewPair: UInt8 = 9
}
