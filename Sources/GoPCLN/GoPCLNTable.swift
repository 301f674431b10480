/// A Go binary's pc-line table (`.gopclntab`), read in place: function
/// entries, names and sp deltas, decoded on demand. Every read is checked
/// against the table's length, so a corrupt table gives nil, never a trap.
public struct GoPCLNTable: @unchecked Sendable {
    public let header: GoPCLNHeader
    /// Entry offsets (Go 1.18 on) are relative to this link-time address.
    public let textStart: UInt64
    let bytes: UnsafeRawBufferPointer
    /// Where funcdata (the inline trees) lies, when the module's data was found.
    public let functionData: GoFunctionData?
    /// Keeps `bytes` alive: the ELF file they were mapped from, or a copy.
    private let owner: AnyObject?

    /// - textStart: where the module's text begins, for tables whose header
    ///   holds 0 there (unrelocated in a PIE); the header's value wins otherwise.
    /// - functionData: the bytes funcdata offsets point into; without them
    ///   the table has no inlined calls.
    public init(bytes: UnsafeRawBufferPointer, owner: AnyObject?, textStart: UInt64? = nil,
                functionData: GoFunctionData? = nil) throws(GoPCLNError) {
        header = try GoPCLNHeader(bytes)
        self.textStart = header.textStart != 0 ? header.textStart : (textStart ?? 0)
        self.bytes = bytes
        self.functionData = functionData
        self.owner = owner
    }

    /// A table over a private copy of `bytes` (tests, fuzzing).
    public init(copying bytes: [UInt8], textStart: UInt64? = nil) throws(GoPCLNError) {
        let storage = OwnedBytes(bytes)
        try self.init(bytes: storage.bytes, owner: storage, textStart: textStart)
    }

    public var version: GoPCLNVersion { header.version }
    public var functionCount: Int { header.functionCount }

    /// The entry pc of function `index`; index `functionCount` gives the end of the last one.
    public func entry(at index: Int) -> UInt64? {
        guard index >= 0, index <= functionCount else { return nil }
        return functabField(2 * index).map(address(ofEntry:))
    }

    /// Function `index` in entry order, nil if its record is corrupt.
    public func function(at index: Int) -> GoFunction? {
        guard index >= 0, index < functionCount,
              let start = entry(at: index), let end = entry(at: index + 1),
              let recordOffset = functabField(2 * index + 1) else { return nil }
        let (record, overflow) = header.functionTableOffset.addingReportingOverflow(Int(truncatingIfNeeded: recordOffset))
        guard !overflow, recordOffset < UInt64(bytes.count) else { return nil }
        let version = header.version, pointerSize = header.pointerSize
        var cursor = PCLNCursor(bytes, offset: record)
        do throws(GoPCLNError) {
            // The record repeats the entry after the name: skip the entry field.
            try cursor.skip(version.entriesAreOffsets ? 4 : pointerSize)
            let nameOffset = try cursor.u32()
            try cursor.seek(to: record + version.pcspFieldOffset(pointerSize: pointerSize))
            let pcsp = try cursor.u32()
            try cursor.seek(to: record + version.pcdataCountFieldOffset(pointerSize: pointerSize))
            let pcdataCount = try cursor.u32()
            try cursor.seek(to: record + version.funcIDFieldOffset(pointerSize: pointerSize))
            let funcID = try cursor.u8()
            let flags = try cursor.u8()
            try cursor.seek(to: record + version.funcdataCountFieldOffset(pointerSize: pointerSize))
            let funcdataCount = try cursor.u8()
            return GoFunction(index: index, entry: start, end: end, nameOffset: nameOffset, pcspOffset: pcsp,
                              funcID: funcID, flags: version == .go116 ? [] : GoFunctionFlags(rawValue: flags),
                              recordOffset: record, pcdataCount: pcdataCount, funcdataCount: funcdataCount)
        } catch {
            return nil
        }
    }

    /// The function whose code holds `pc` (a link-time address).
    public func function(containing pc: UInt64) -> GoFunction? {
        guard functionCount > 0, let first = entry(at: 0), let last = entry(at: functionCount),
              pc >= first, pc < last else { return nil }
        // The last entry at or below pc; a corrupt, unsorted table only misleads the search.
        var low = 0, high = functionCount
        while high - low > 1 {
            let mid = low + (high - low) / 2
            guard let value = entry(at: mid) else { return nil }
            if value <= pc { low = mid } else { high = mid }
        }
        guard let function = function(at: low), function.contains(pc) else { return nil }
        return function
    }

    /// The function's name as the Go toolchain writes it (`main.worker`, `runtime.futex`).
    public func name(of function: GoFunction) -> String? {
        name(atOffset: function.nameOffset)
    }

    /// How far sp lies below the return address at `pc` in `function`: 0 at
    /// the entry and in frameless functions. Nil where the table has no value.
    public func spDelta(of function: GoFunction, at pc: UInt64) -> Int32? {
        pcValue(of: function, tableOffset: function.pcspOffset, at: pc)
    }

    /// The value at `pc` of the function's pc-value table at `tableOffset` into pctab (0: none).
    func pcValue(of function: GoFunction, tableOffset: UInt32, at pc: UInt64) -> Int32? {
        guard function.contains(pc) else { return nil }
        let (start, overflow) = header.pcTablesOffset.addingReportingOverflow(Int(tableOffset))
        guard !overflow, tableOffset != 0 else { return nil }
        return PCValueTable(bytes: bytes, start: start, entry: function.entry, quantum: UInt64(header.pcQuantum))
            .value(at: pc)
    }

    /// The name at `offset` into funcnametab.
    func name(atOffset offset: UInt32) -> String? {
        let (position, overflow) = header.functionNamesOffset.addingReportingOverflow(Int(offset))
        guard !overflow, position < bytes.count else { return nil }
        var cursor = PCLNCursor(bytes, offset: position)
        return try? cursor.cString()
    }

    private func functabField(_ field: Int) -> UInt64? {
        let size = header.version.functabFieldSize(pointerSize: header.pointerSize)
        var cursor = PCLNCursor(bytes, offset: header.functionTableOffset)
        do throws(GoPCLNError) {
            try cursor.seek(to: header.functionTableOffset + field * size)
            return size == 4 ? UInt64(try cursor.u32()) : try cursor.u64()
        } catch {
            return nil
        }
    }

    private func address(ofEntry raw: UInt64) -> UInt64 {
        header.version.entriesAreOffsets ? textStart &+ raw : raw
    }
}

/// A heap copy whose address stays put for the table that reads it.
private final class OwnedBytes {
    private let storage: UnsafeMutableRawBufferPointer
    let bytes: UnsafeRawBufferPointer

    init(_ source: [UInt8]) {
        let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: max(source.count, 1), alignment: 8)
        source.withUnsafeBytes { storage.copyMemory(from: $0) }
        self.storage = storage
        bytes = UnsafeRawBufferPointer(rebasing: storage[0..<source.count])
    }

    deinit { storage.deallocate() }
}

extension GoPCLNTable {
    /// Functions that begin a stack. Go 1.17 on flags them (TOPFRAME);
    /// for 1.16's tables, without flags, they are known by name.
    public func isTopFrame(_ function: GoFunction) -> Bool {
        if function.flags.contains(.topFrame) { return true }
        guard version == .go116, let name = name(of: function) else { return false }
        return ["runtime.goexit", "runtime.mstart", "runtime.rt0_go"].contains(name)
    }
}
