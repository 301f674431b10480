extension ELFFile {
    /// PT_LOAD segments with file bytes, in table order.
    public var loadSegments: [ProgramHeader] {
        programHeaders.filter { $0.type == .load && $0.filesz > 0 }
    }

    /// The PT_LOAD segment a mapping of the file at `fileOffset` comes from.
    ///
    /// The loader maps each segment from its page-rounded p_offset, and a
    /// segment can be split into several mappings (RELRO), so: first a
    /// segment whose mapping starts exactly there, then one whose file bytes
    /// contain the offset, then one whose first page does. `executable`, when
    /// known from the mapping's permissions, settles segments sharing a page.
    public func loadSegment(forFileOffset fileOffset: UInt64, executable: Bool? = nil) -> ProgramHeader? {
        let candidates = loadSegments.filter { segment in
            executable.map { segment.flags.contains(.execute) == $0 } ?? true
        }
        if let exact = candidates.first(where: { $0.mappedFileStart == fileOffset }) { return exact }
        if let inside = candidates.first(where: { $0.offset <= fileOffset && fileOffset - $0.offset < $0.filesz }) { return inside }
        return candidates.first { $0.mappedFileStart <= fileOffset && fileOffset < $0.offset && $0.offset - fileOffset < SegmentPage.size }
    }

    /// The link-time virtual address that file offset `fileOffset` is loaded at.
    public func linkAddress(forFileOffset fileOffset: UInt64, executable: Bool? = nil) -> FileAddress? {
        guard let segment = loadSegment(forFileOffset: fileOffset, executable: executable) else { return nil }
        // Wrapping: p_vaddr - p_offset is the segment's constant displacement.
        return segment.vaddr - segment.offset + fileOffset
    }

    /// The load bias of a mapping of this file, e.g. a line of /proc/PID/maps
    /// with start `mappingStart` and offset `fileOffset`: the file address
    /// that offset is linked at lands on `mappingStart`. Zero for a non-PIE
    /// executable.
    public func loadBias(mappingStart: RuntimeAddress, fileOffset: UInt64, executable: Bool? = nil) -> LoadBias? {
        linkAddress(forFileOffset: fileOffset, executable: executable).map { LoadBias(runtime: mappingStart, file: $0) }
    }

    /// True for a position-independent executable: ET_DYN with DF_1_PIE in
    /// DT_FLAGS_1 (a plain shared library has no such flag).
    public var isPositionIndependentExecutable: Bool {
        guard type == .sharedObject, let dynamic = programHeaders.first(where: { $0.type == .dynamic }),
              let range = try? checkRange(offset: dynamic.offset, size: dynamic.filesz, within: bytes.count, "dynamic", at: 0)
        else { return false }
        let entries = UnsafeRawBufferPointer(rebasing: bytes[range])
        var at = 0
        while at + 16 <= entries.count {
            let tag = Int64(littleEndian: entries.loadUnaligned(fromByteOffset: at, as: Int64.self))
            if tag == 0 { break }  // DT_NULL
            if tag == 0x6fff_fffb {  // DT_FLAGS_1
                let flags = UInt64(littleEndian: entries.loadUnaligned(fromByteOffset: at + 8, as: UInt64.self))
                return flags & 0x0800_0000 != 0  // DF_1_PIE
            }
            at += 16
        }
        return false
    }
}
