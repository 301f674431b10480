import Synchronization

/// A read-only view of one little-endian x86_64 ELF64 file.
///
/// The file is mapped once; headers, program headers and section headers are
/// parsed in `init`, everything else (symbols, decompressed sections) on first
/// use and then cached. Section data are views into the mapping, valid while
/// this object is alive. Immutable after init apart from those caches, which
/// are guarded by a lock, so one instance can be shared between threads.
public final class ELFFile: Sendable {
    /// Where the file was opened from; nil for `init(bytes:)`.
    public let path: String?
    public let header: ELFHeader
    public let programHeaders: [ProgramHeader]
    /// All section headers, index 0 (SHT_NULL) included so `sections[i]`
    /// matches the indices used by symbols and sh_link.
    public let sections: [Section]

    let storage: MappedFile
    // One lock per cache: symbol loading and note scanning read sections,
    // which may take the decompression lock, so they must not share it.
    let symbolCache = Mutex<Result<SymbolTable, ELFError>?>(nil)
    let buildIDCache = Mutex<[UInt8]??>(nil)
    let decompressedCache = Mutex<[Int: Result<MappedFile, ELFError>]>([:])

    /// Maps the file at `path` read-only.
    public static func open(path: String) throws(ELFError) -> ELFFile {
        try ELFFile(storage: MappedFile(path: path), path: path)
    }

    /// Parses an in-memory image; keeps its own copy of `bytes`.
    public convenience init(bytes: [UInt8]) throws(ELFError) {
        let storage = bytes.withUnsafeBytes { MappedFile(copying: $0) }
        try self.init(storage: storage, path: nil)
    }

    init(storage: MappedFile, path: String?) throws(ELFError) {
        self.storage = storage
        self.path = path
        let data = storage.bytes
        let header = try ELFHeader(data, path: path)
        self.header = header
        let rawSections = try ELFFile.readSectionHeaders(data, header)
        programHeaders = try ELFFile.readProgramHeaders(data, header, firstSection: rawSections.first)
        sections = try ELFFile.nameSections(data, header, rawSections)
    }

    // MARK: Header fields

    public var type: ELFFileType { header.type }
    public var entry: FileAddress { FileAddress(header.entry) }
    public var machine: UInt16 { header.machine }

    /// The whole file image (mapping or copy), valid while `self` is alive.
    public var bytes: UnsafeRawBufferPointer { storage.bytes }

    public func section(named name: String) -> Section? {
        sections.first { $0.name == name }
    }

    // MARK: Table parsing

    private static func readSectionHeaders(_ data: UnsafeRawBufferPointer, _ header: ELFHeader) throws(ELFError) -> [Section.Raw] {
        guard header.sectionHeaderOffset != 0 else { return [] }
        let tableOffset = try fileInt(header.sectionHeaderOffset, "section header offset", at: 0x28)
        guard Int(header.sectionHeaderEntrySize) >= Section.entrySize else {
            if header.sectionHeaderCount == 0 { return [] }
            throw .malformed(offset: 0x3a, what: "section header entry size \(header.sectionHeaderEntrySize) (expected 64)")
        }
        let entrySize = Int(header.sectionHeaderEntrySize)
        var r = ByteReader(data, offset: 0)
        do throws(ByteReadError) {
            try r.seek(to: tableOffset)
            let first = try Section.Raw(&r)
            // Extended numbering: more than 0xff00 sections keep the count in section 0.
            var count = Int(header.sectionHeaderCount)
            if count == 0 { count = Int(clamping: first.size) }
            guard count > 0 else { return [] }
            let (tableSize, overflow) = count.multipliedReportingOverflow(by: entrySize)
            guard !overflow, tableSize <= data.count - tableOffset else {
                throw ByteReadError(offset: tableOffset, what: "section header table of \(count) entries")
            }
            var result: [Section.Raw] = []
            result.reserveCapacity(count)
            result.append(first)
            for i in 1 ..< count {
                try r.seek(to: tableOffset + i * entrySize)
                result.append(try Section.Raw(&r))
            }
            return result
        } catch {
            throw ELFError(error)
        }
    }

    private static func readProgramHeaders(_ data: UnsafeRawBufferPointer, _ header: ELFHeader, firstSection: Section.Raw?) throws(ELFError) -> [ProgramHeader] {
        var count = Int(header.programHeaderCount)
        // PN_XNUM: the real count lives in section 0's sh_info.
        if count == 0xffff, let first = firstSection { count = Int(first.info) }
        guard count > 0, header.programHeaderOffset != 0 else { return [] }
        guard Int(header.programHeaderEntrySize) >= ProgramHeader.entrySize else {
            throw .malformed(offset: 0x36, what: "program header entry size \(header.programHeaderEntrySize) (expected 56)")
        }
        let tableOffset = try fileInt(header.programHeaderOffset, "program header offset", at: 0x20)
        let entrySize = Int(header.programHeaderEntrySize)
        guard tableOffset <= data.count, count * entrySize <= data.count - tableOffset else {
            throw .truncated(offset: tableOffset, what: "program header table of \(count) entries")
        }
        var result: [ProgramHeader] = []
        result.reserveCapacity(count)
        var r = ByteReader(data, offset: tableOffset)
        do throws(ByteReadError) {
            for i in 0 ..< count {
                try r.seek(to: tableOffset + i * entrySize)
                result.append(try ProgramHeader(&r))
            }
        } catch {
            throw ELFError(error)
        }
        return result
    }

    private static func nameSections(_ data: UnsafeRawBufferPointer, _ header: ELFHeader, _ raw: [Section.Raw]) throws(ELFError) -> [Section] {
        guard !raw.isEmpty else { return [] }
        var nameIndex = Int(header.sectionNameTableIndex)
        if nameIndex == 0xffff { nameIndex = Int(raw[0].link) }  // SHN_XINDEX
        guard nameIndex != 0 else {
            return raw.enumerated().map { Section(index: $0.offset, name: "", raw: $0.element) }
        }
        guard nameIndex < raw.count else {
            throw .malformed(offset: 0x3e, what: "section name table index \(nameIndex) of \(raw.count) sections")
        }
        let tableHeaderOffset = Int(header.sectionHeaderOffset) + nameIndex * Int(header.sectionHeaderEntrySize)
        let nameTable = raw[nameIndex]
        guard nameTable.type != SectionType.nobits.rawValue else {
            throw .malformed(offset: tableHeaderOffset, what: "section name table has no file data")
        }
        let range = try checkRange(offset: nameTable.offset, size: nameTable.size, within: data.count,
                                   "section name table", at: tableHeaderOffset)
        let names = UnsafeRawBufferPointer(rebasing: data[range])
        var result: [Section] = []
        result.reserveCapacity(raw.count)
        for (i, section) in raw.enumerated() {
            let nameOffset = Int(section.nameOffset)
            guard nameOffset < names.count || (nameOffset == 0 && i == 0) else {
                throw .malformed(offset: Int(header.sectionHeaderOffset) + i * Int(header.sectionHeaderEntrySize),
                                 what: "section \(i) name offset \(nameOffset) beyond name table of \(names.count) bytes")
            }
            result.append(Section(index: i, name: StringTable.string(in: names, at: nameOffset), raw: section))
        }
        return result
    }
}
