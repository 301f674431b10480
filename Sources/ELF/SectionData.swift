import CDeflate

extension ELFFile {
    /// The bytes of `section`, bounds-checked against the file.
    ///
    /// SHT_NOBITS sections (.bss, and everything allocated in a debug-only
    /// file) have no file bytes and give an empty buffer. SHF_COMPRESSED
    /// sections are inflated once and cached. The buffer is valid while this
    /// `ELFFile` is alive.
    public func data(of section: Section) throws(ELFError) -> UnsafeRawBufferPointer {
        try dataAndOwner(of: section).bytes
    }

    /// Like `data(of:)`, also returning the object that keeps the bytes alive.
    func dataAndOwner(of section: Section) throws(ELFError) -> (bytes: UnsafeRawBufferPointer, owner: MappedFile) {
        if section.type == .nobits { return (UnsafeRawBufferPointer(start: nil, count: 0), storage) }
        let raw = try rawData(of: section)
        guard section.isCompressed else { return (raw, storage) }
        let inflated = try decompressed(section, raw)
        return (inflated.bytes, inflated)
    }

    /// The section's bytes as stored in the file (still compressed if it is).
    func rawData(of section: Section) throws(ELFError) -> UnsafeRawBufferPointer {
        let data = storage.bytes
        let headerAt = Int(clamping: header.sectionHeaderOffset) &+ section.index &* Int(header.sectionHeaderEntrySize)
        let range = try checkRange(offset: section.offset, size: section.size, within: data.count,
                                   "section \(section.name.isEmpty ? "#\(section.index)" : section.name)", at: headerAt)
        return UnsafeRawBufferPointer(rebasing: data[range])
    }

    private func decompressed(_ section: Section, _ raw: UnsafeRawBufferPointer) throws(ELFError) -> MappedFile {
        // The cache is keyed by index: only cache sections that are really ours.
        guard section.index < sections.count, sections[section.index] == section else {
            return try ELFFile.inflate(section, raw, fileOffset: Int(clamping: section.offset))
        }
        // Only DWARF goes to the disk cache; the build-id is read first, as
        // its note is a section too (never under the lock below), and never
        // for a note section: reading the build-id inflates those.
        let onDisk = section.type != .note && section.name.hasPrefix(".debug_") && InflatedSectionCache.shared.directory != nil
            ? InflatedSectionCache.Key(buildID: buildID ?? [], section: section.name, compressed: raw) : nil
        let result: Result<MappedFile, ELFError> = decompressedCache.withLock { inflated in
            if let cached = inflated[section.index] { return cached }
            let fresh: Result<MappedFile, ELFError>
            do throws(ELFError) {
                fresh = .success(try Self.inflatedOrCached(section, raw, key: onDisk))
                // Only the inflated copy is read from now on.
                storage.release(raw)
            } catch {
                fresh = .failure(error)
            }
            inflated[section.index] = fresh
            return fresh
        }
        return try result.get()
    }

    /// From the disk cache when it holds the section, else inflated and kept there.
    private static func inflatedOrCached(
        _ section: Section, _ raw: UnsafeRawBufferPointer, key: InflatedSectionCache.Key?
    ) throws(ELFError) -> MappedFile {
        let cache = InflatedSectionCache.shared
        if let key, let length = claimedLength(raw), let file = cache.load(key, length: length) { return file }
        let fresh = try inflate(section, raw, fileOffset: Int(clamping: section.offset))
        if let key { cache.store(key, fresh.bytes) }
        return fresh
    }

    /// The inflated length an Elf64_Chdr claims, nil if it is cut short.
    private static func claimedLength(_ raw: UnsafeRawBufferPointer) -> Int? {
        guard raw.count >= 24 else { return nil }
        return Int(exactly: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self).littleEndian)
    }

    /// zlib's best case is about 1032:1, so a claimed size beyond that is a lie
    /// and must not drive a huge allocation.
    private static let maxDeflateRatio = 1100

    /// Decodes an Elf64_Chdr-prefixed section.
    private static func inflate(_ section: Section, _ raw: UnsafeRawBufferPointer, fileOffset: Int) throws(ELFError) -> MappedFile {
        var r = ByteReader(raw)
        let type: UInt32, size: UInt64
        do throws(ByteReadError) {
            type = try r.u32()
            _ = try r.u32()       // ch_reserved
            size = try r.u64()
            _ = try r.u64()       // ch_addralign
        } catch {
            throw ELFError(error, base: fileOffset)
        }
        guard type == 1 else {  // ELFCOMPRESS_ZLIB; 2 is zstd
            throw .compressedSectionUnsupported(section: section.name, compressionType: type)
        }
        let payload = UnsafeRawBufferPointer(rebasing: raw[r.offset...])
        let limit = UInt64(payload.count) * UInt64(maxDeflateRatio) + 1024
        guard size <= limit, let count = Int(exactly: size) else {
            throw .malformed(offset: fileOffset, what: "compressed section \(section.name) claims \(size) bytes from \(payload.count)")
        }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(count, 1), alignment: 16)
        guard let decompressor = libdeflate_alloc_decompressor() else {
            buffer.deallocate()
            throw .decompressionFailed(section: section.name, status: -1)
        }
        defer { libdeflate_free_decompressor(decompressor) }
        var produced = 0
        let status = libdeflate_zlib_decompress(
            decompressor, payload.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, payload.count,
            buffer.baseAddress!, count, &produced)
        guard status == LIBDEFLATE_SUCCESS, produced == count else {
            buffer.deallocate()
            if status == LIBDEFLATE_SUCCESS {
                throw .malformed(offset: fileOffset, what: "compressed section \(section.name) inflated to \(produced) bytes, header says \(count)")
            }
            throw .decompressionFailed(section: section.name, status: Int32(status.rawValue))
        }
        return MappedFile(adopting: buffer, count: count)
    }
}
