// The DWARF 5 constants this target reads (DWARF 5 spec, section 7), plus the
// GNU extensions gcc still emits. Only what the lookups need is named.

enum DWTag {
    static let lexicalBlock: UInt64 = 0x0b
    static let compileUnit: UInt64 = 0x11
    static let classType: UInt64 = 0x02
    static let structureType: UInt64 = 0x13
    static let unionType: UInt64 = 0x17
    static let inlinedSubroutine: UInt64 = 0x1d
    static let module: UInt64 = 0x1e
    static let catchBlock: UInt64 = 0x25
    static let subprogram: UInt64 = 0x2e
    static let tryBlock: UInt64 = 0x32
    static let namespace: UInt64 = 0x39
    static let partialUnit: UInt64 = 0x3c
    // Types, for the parameter lists gdb prints in some C++ names.
    static let arrayType: UInt64 = 0x01
    static let enumerationType: UInt64 = 0x04
    static let formalParameter: UInt64 = 0x05
    static let variable: UInt64 = 0x34
    static let pointerType: UInt64 = 0x0f
    static let referenceType: UInt64 = 0x10
    static let subroutineType: UInt64 = 0x15
    static let typedef: UInt64 = 0x16
    static let unspecifiedParameters: UInt64 = 0x18
    static let baseType: UInt64 = 0x24
    static let constType: UInt64 = 0x26
    static let volatileType: UInt64 = 0x35
    static let restrictType: UInt64 = 0x37
    static let unspecifiedType: UInt64 = 0x3b
    static let rvalueReferenceType: UInt64 = 0x42
}

/// DW_AT_language values that change how gdb names functions.
enum DWLanguage {
    static let cPlusPlus: Set<UInt64> = [0x04, 0x19, 0x1a, 0x21]
    static let rust: UInt64 = 0x1c
}

enum DWAttribute {
    static let sibling: UInt64 = 0x01
    static let name: UInt64 = 0x03
    static let stmtList: UInt64 = 0x10
    static let lowPC: UInt64 = 0x11
    static let highPC: UInt64 = 0x12
    static let compDir: UInt64 = 0x1b
    static let abstractOrigin: UInt64 = 0x31
    static let specification: UInt64 = 0x47
    static let ranges: UInt64 = 0x55
    static let callFile: UInt64 = 0x58
    static let callLine: UInt64 = 0x59
    static let linkageName: UInt64 = 0x6e
    static let strOffsetsBase: UInt64 = 0x72
    static let addrBase: UInt64 = 0x73
    static let rnglistsBase: UInt64 = 0x74
    static let mipsLinkageName: UInt64 = 0x2007
    static let gnuRangesBase: UInt64 = 0x2132
    static let gnuAddrBase: UInt64 = 0x2133
    static let language: UInt64 = 0x13
    static let artificial: UInt64 = 0x34
    static let type: UInt64 = 0x49
    static let enumClass: UInt64 = 0x6d
}

enum DWForm {
    static let addr: UInt64 = 0x01
    static let block2: UInt64 = 0x03
    static let block4: UInt64 = 0x04
    static let data2: UInt64 = 0x05
    static let data4: UInt64 = 0x06
    static let data8: UInt64 = 0x07
    static let string: UInt64 = 0x08
    static let block: UInt64 = 0x09
    static let block1: UInt64 = 0x0a
    static let data1: UInt64 = 0x0b
    static let flag: UInt64 = 0x0c
    static let sdata: UInt64 = 0x0d
    static let strp: UInt64 = 0x0e
    static let udata: UInt64 = 0x0f
    static let refAddr: UInt64 = 0x10
    static let ref1: UInt64 = 0x11
    static let ref2: UInt64 = 0x12
    static let ref4: UInt64 = 0x13
    static let ref8: UInt64 = 0x14
    static let refUdata: UInt64 = 0x15
    static let indirect: UInt64 = 0x16
    static let secOffset: UInt64 = 0x17
    static let exprloc: UInt64 = 0x18
    static let flagPresent: UInt64 = 0x19
    static let strx: UInt64 = 0x1a
    static let addrx: UInt64 = 0x1b
    static let refSup4: UInt64 = 0x1c
    static let strpSup: UInt64 = 0x1d
    static let data16: UInt64 = 0x1e
    static let lineStrp: UInt64 = 0x1f
    static let refSig8: UInt64 = 0x20
    static let implicitConst: UInt64 = 0x21
    static let loclistx: UInt64 = 0x22
    static let rnglistx: UInt64 = 0x23
    static let refSup8: UInt64 = 0x24
    static let strx1: UInt64 = 0x25
    static let strx2: UInt64 = 0x26
    static let strx3: UInt64 = 0x27
    static let strx4: UInt64 = 0x28
    static let addrx1: UInt64 = 0x29
    static let addrx2: UInt64 = 0x2a
    static let addrx3: UInt64 = 0x2b
    static let addrx4: UInt64 = 0x2c
    static let gnuAddrIndex: UInt64 = 0x1f01
    static let gnuStrIndex: UInt64 = 0x1f02
    static let gnuRefAlt: UInt64 = 0x1f20
    static let gnuStrpAlt: UInt64 = 0x1f21
}

enum DWUnitType {
    static let compile: UInt8 = 0x01
    static let partial: UInt8 = 0x03
}

enum DWLineOpcode {
    // Standard opcodes.
    static let copy: UInt8 = 1
    static let advancePC: UInt8 = 2
    static let advanceLine: UInt8 = 3
    static let setFile: UInt8 = 4
    static let setColumn: UInt8 = 5
    static let negateStmt: UInt8 = 6
    static let setBasicBlock: UInt8 = 7
    static let constAddPC: UInt8 = 8
    static let fixedAdvancePC: UInt8 = 9
    static let setPrologueEnd: UInt8 = 10
    static let setEpilogueBegin: UInt8 = 11
    static let setISA: UInt8 = 12
    // Extended opcodes (after a 0 byte and a length).
    static let endSequence: UInt8 = 1
    static let setAddress: UInt8 = 2
    static let defineFile: UInt8 = 3
    static let setDiscriminator: UInt8 = 4
}

/// DW_LNCT_*: what a v5 directory or file entry field holds.
enum DWLineContent {
    static let path: UInt64 = 1
    static let directoryIndex: UInt64 = 2
}

enum DWRangeListEntry {
    static let endOfList: UInt8 = 0
    static let baseAddressx: UInt8 = 1
    static let startxEndx: UInt8 = 2
    static let startxLength: UInt8 = 3
    static let offsetPair: UInt8 = 4
    static let baseAddress: UInt8 = 5
    static let startEnd: UInt8 = 6
    static let startLength: UInt8 = 7
}
