import ELF

/// The pclntab's header (runtime.pcHeader): which layout, and where the
/// sub-tables lie, as offsets from the header's own start.
public struct GoPCLNHeader: Sendable, Equatable {
    public let version: GoPCLNVersion
    /// Bytes per instruction unit that pc deltas count in (1 on amd64).
    public let pcQuantum: UInt8
    public let pointerSize: Int
    public let functionCount: Int
    /// The text start the linker wrote (Go 1.18 on); 0 when unrelocated or absent.
    public let textStart: UInt64
    public let functionNamesOffset: Int
    public let pcTablesOffset: Int
    /// Where the function table (functab) and the `_func` records it points to begin.
    public let functionTableOffset: Int

    /// Reads and checks the header against the table's length.
    public init(_ bytes: UnsafeRawBufferPointer) throws(GoPCLNError) {
        var reader = PCLNCursor(bytes)
        let magic = try reader.u32()
        guard let version = GoPCLNVersion(magic: magic) else { throw .unknownMagic(magic) }
        try reader.skip(2)  // pad1, pad2
        let quantum = try reader.u8()
        let pointerSize = try reader.u8()
        guard pointerSize == 8 else { throw .unsupportedPointerSize(pointerSize) }
        guard [1, 2, 4].contains(quantum) else { throw .unsupportedQuantum(quantum) }
        let functionCount = try reader.u64()
        _ = try reader.u64()  // nfiles
        let textStart = version.entriesAreOffsets ? try reader.u64() : 0
        let names = try reader.u64()
        _ = try reader.u64()  // cutab
        _ = try reader.u64()  // filetab
        let pcTables = try reader.u64()
        let functions = try reader.u64()

        func inside(_ field: String, _ offset: UInt64) throws(GoPCLNError) -> Int {
            guard offset < UInt64(bytes.count) else { throw .outOfBounds(field: field, offset: offset) }
            return Int(offset)
        }
        self.version = version
        self.pcQuantum = quantum
        self.pointerSize = Int(pointerSize)
        self.textStart = textStart
        functionNamesOffset = try inside("funcnametab offset", names)
        pcTablesOffset = try inside("pctab offset", pcTables)
        functionTableOffset = try inside("functab offset", functions)
        // nfunc + 1 functab entries of two fields each must fit.
        let fieldSize = UInt64(version.functabFieldSize(pointerSize: Int(pointerSize)))
        let room = UInt64(bytes.count - functionTableOffset)
        guard functionCount < room / (2 * fieldSize) else {
            throw .outOfBounds(field: "function count", offset: functionCount)
        }
        self.functionCount = Int(functionCount)
    }
}
