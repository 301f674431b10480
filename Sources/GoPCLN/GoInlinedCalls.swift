/// Inlined calls from the pclntab alone (runtime/symtab.go, traceback.go):
/// a function's pcdata PCDATA_InlTreeIndex gives, at each pc, an index into
/// its FUNCDATA_InlTree; each entry names the inlined function and the pc of
/// its call site in the outer code, which may itself be inlined. Go's own
/// tracebacks show these frames, and a -w build has no DWARF to show them.
extension GoPCLNTable {
    static let inlineTreeIndexTable = 2  // _PCDATA_InlTreeIndex
    static let inlineTreeData = 3  // _FUNCDATA_InlTree
    /// A tree deeper than this is corrupt: stop rather than loop.
    static let maxInlineDepth = 64

    /// The functions inlined at `pc` in `function`, innermost first, as Go
    /// writes their names; empty when nothing is inlined there or the tree
    /// cannot be read.
    public func inlinedFunctions(of function: GoFunction, at pc: UInt64) -> [String] {
        guard let tree = inlineTreeAddress(of: function), let data = functionData,
              let indexTable = pcdataOffset(of: function, table: Self.inlineTreeIndexTable) else { return [] }
        let version = header.version
        var names: [String] = []
        var current = pc
        while names.count < Self.maxInlineDepth {
            guard let index = pcValue(of: function, tableOffset: indexTable, at: current), index >= 0 else { break }
            let (offset, overflow) = UInt64(index).multipliedReportingOverflow(by: UInt64(version.inlinedCallSize))
            guard !overflow, var cursor = data.cursor(at: tree &+ offset) else { break }
            let start = cursor.offset
            do throws(GoPCLNError) {
                try cursor.seek(to: start + version.inlinedCallNameOffset)
                let nameOffset = try cursor.u32()
                try cursor.seek(to: start + version.inlinedCallParentPCOffset)
                let parentPC = try cursor.u32()
                guard let name = self.name(atOffset: nameOffset) else { break }
                names.append(name)
                let (caller, wrapped) = function.entry.addingReportingOverflow(UInt64(parentPC))
                guard !wrapped, function.contains(caller) else { break }
                current = caller
            } catch {
                break
            }
        }
        return names
    }

    /// The u32 at pcdata slot `table` of the function's record (0: none).
    private func pcdataOffset(of function: GoFunction, table: Int) -> UInt32? {
        guard table < function.pcdataCount else { return nil }
        var cursor = PCLNCursor(bytes)
        do throws(GoPCLNError) {
            try cursor.seek(to: function.recordOffset + header.version.pcdataFieldOffset(pointerSize: header.pointerSize) + 4 * table)
            let offset = try cursor.u32()
            return offset == 0 ? nil : offset
        } catch {
            return nil
        }
    }

    /// Where the function's inline tree lies (a link address), from its
    /// funcdata slot: an offset from gofunc (1.18 on, ~0 for none) or, in
    /// 1.16, a pointer after the pcdata offsets, 8-aligned.
    private func inlineTreeAddress(of function: GoFunction) -> UInt64? {
        guard Self.inlineTreeData < function.funcdataCount, let data = functionData else { return nil }
        let version = header.version, pointerSize = header.pointerSize
        var slots = function.recordOffset + version.pcdataFieldOffset(pointerSize: pointerSize) + 4 * Int(function.pcdataCount)
        var cursor = PCLNCursor(bytes)
        do throws(GoPCLNError) {
            if version.entriesAreOffsets {
                try cursor.seek(to: slots + 4 * Self.inlineTreeData)
                let offset = try cursor.u32()
                return offset == .max ? nil : data.base &+ UInt64(offset)
            }
            if slots % 8 != 0 { slots += 4 }
            try cursor.seek(to: slots + pointerSize * Self.inlineTreeData)
            let address = try cursor.u64()
            return address == 0 ? nil : address
        } catch {
            return nil
        }
    }
}
