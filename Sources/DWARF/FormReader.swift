import ELF

/// What a unit's header says about the size of forms inside it.
struct UnitEncoding: Sendable, Equatable {
    var version: UInt16
    var addressSize: UInt8
    /// Absolute .debug_info offset of the unit header, for unit-relative references.
    var unitOffset: Int
}

/// Reads one attribute value of `form` at the reader's offset.
///
/// Every form of DWARF 2 to 5 (and gcc's GNU forms) is at least skipped
/// correctly, so a DIE can be walked past even when its values are of no use.
func readAttributeValue(form: UInt64, implicitConst: Int64, encoding: UnitEncoding,
                        reader r: inout ByteReader) throws(ByteReadError) -> AttributeValue {
    var form = form
    // DW_FORM_indirect names the real form in the data; a chain of them is garbage.
    var indirections = 0
    while form == DWForm.indirect {
        indirections += 1
        guard indirections <= 4 else { throw ByteReadError(offset: r.offset, what: "chain of DW_FORM_indirect") }
        form = try r.uleb128()
    }
    switch form {
    case DWForm.addr: return .address(try readAddress(size: encoding.addressSize, &r))
    case DWForm.data1, DWForm.flag: return .unsigned(UInt64(try r.u8()))
    case DWForm.data2: return .unsigned(UInt64(try r.u16()))
    case DWForm.data4: return .unsigned(UInt64(try r.u32()))
    case DWForm.data8: return .unsigned(try r.u64())
    case DWForm.data16:
        try r.skip(16)
        return .unused
    case DWForm.sdata: return .signed(try r.sleb128())
    case DWForm.udata: return .unsigned(try r.uleb128())
    case DWForm.implicitConst: return .signed(implicitConst)
    case DWForm.flagPresent: return .unsigned(1)
    case DWForm.string:
        let start = r.offset
        _ = try skipCString(&r)
        return .inlineString(start)
    case DWForm.strp: return .stringOffset(UInt64(try r.u32()))
    case DWForm.lineStrp: return .lineStringOffset(UInt64(try r.u32()))
    case DWForm.strx, DWForm.gnuStrIndex: return .stringIndex(try r.uleb128())
    case DWForm.strx1: return .stringIndex(UInt64(try r.u8()))
    case DWForm.strx2: return .stringIndex(UInt64(try r.u16()))
    case DWForm.strx3: return .stringIndex(try readUInt24(&r))
    case DWForm.strx4: return .stringIndex(UInt64(try r.u32()))
    case DWForm.addrx, DWForm.gnuAddrIndex: return .addressIndex(try r.uleb128())
    case DWForm.addrx1: return .addressIndex(UInt64(try r.u8()))
    case DWForm.addrx2: return .addressIndex(UInt64(try r.u16()))
    case DWForm.addrx3: return .addressIndex(try readUInt24(&r))
    case DWForm.addrx4: return .addressIndex(UInt64(try r.u32()))
    case DWForm.ref1: return unitReference(UInt64(try r.u8()), encoding)
    case DWForm.ref2: return unitReference(UInt64(try r.u16()), encoding)
    case DWForm.ref4: return unitReference(UInt64(try r.u32()), encoding)
    case DWForm.ref8: return unitReference(try r.u64(), encoding)
    case DWForm.refUdata: return unitReference(try r.uleb128(), encoding)
    case DWForm.refAddr:
        // DWARF 2 sized it as an address, later versions as an offset.
        if encoding.version <= 2 { return .reference(try readAddress(size: encoding.addressSize, &r)) }
        return .reference(UInt64(try r.u32()))
    case DWForm.secOffset: return .unsigned(UInt64(try r.u32()))
    case DWForm.rnglistx: return .rangeListIndex(try r.uleb128())
    case DWForm.loclistx: return .locationListIndex(try r.uleb128())
    case DWForm.refSig8, DWForm.refSup8:
        try r.skip(8)
        return .unused
    case DWForm.refSup4, DWForm.strpSup, DWForm.gnuRefAlt, DWForm.gnuStrpAlt:
        try r.skip(4)
        return .unused
    case DWForm.block1: return try block(length: UInt64(try r.u8()), &r)
    case DWForm.block2: return try block(length: UInt64(try r.u16()), &r)
    case DWForm.block4: return try block(length: UInt64(try r.u32()), &r)
    case DWForm.block, DWForm.exprloc: return try block(length: try r.uleb128(), &r)
    default:
        // An unknown form has an unknown size: nothing after it can be read.
        throw ByteReadError(offset: r.offset, what: "attribute of unknown form 0x\(String(form, radix: 16))")
    }
}

/// Steps over a block's bytes, keeping where they are.
private func block(length: UInt64, _ r: inout ByteReader) throws(ByteReadError) -> AttributeValue {
    guard length <= UInt64(r.remaining) else { throw ByteReadError(offset: r.offset, what: "block of \(length) bytes") }
    let start = r.offset
    try r.skip(Int(length))
    return .block(offset: start, length: Int(length))
}

@inline(__always)
private func unitReference(_ value: UInt64, _ encoding: UnitEncoding) -> AttributeValue {
    .reference(UInt64(encoding.unitOffset) &+ value)
}

func readAddress(size: UInt8, _ r: inout ByteReader) throws(ByteReadError) -> UInt64 {
    switch size {
    case 8: return try r.u64()
    case 4: return UInt64(try r.u32())
    case 2: return UInt64(try r.u16())
    case 1: return UInt64(try r.u8())
    default: throw ByteReadError(offset: r.offset, what: "address of \(size) bytes")
    }
}

func readUInt24(_ r: inout ByteReader) throws(ByteReadError) -> UInt64 {
    let low = UInt64(try r.u16())
    return low | UInt64(try r.u8()) << 16
}

/// Steps over a NUL-terminated string without building it.
func skipCString(_ r: inout ByteReader) throws(ByteReadError) -> Int {
    let start = r.offset
    while try r.u8() != 0 {}
    return r.offset - start - 1
}
