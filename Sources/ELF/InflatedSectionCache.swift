import CDeflate
#if canImport(Glibc)
import Glibc
#endif

/// Inflated debug sections kept on disk between runs, so the next run maps
/// them instead of inflating them again: glibc's debug file alone is 12 MB of
/// DWARF compressed to 4, some 20 ms of libdeflate on every `dump`.
///
/// Each file holds one section's bytes under a name made of what they were
/// inflated from (the file's build-id, the section's name, and the length
/// and CRC-32 of its compressed bytes), so a rebuilt binary never finds an
/// old entry. A header repeats that key and adds the CRC-32 of the content,
/// which is checked before the file is served: a torn, truncated or corrupt
/// file is passed over (and written again). Summing reads every page, so a
/// check made once the file has settled is noted beside it (see
/// `contentMatches`) and stands until the file changes. Files are written
/// under a temporary name and renamed into place, so concurrent runs see a
/// whole file or none.
///
/// The directory is `$LWPSCOPE_CACHE_DIR` (absolute; anything else, `off`
/// say, for none), else
/// `$XDG_CACHE_HOME/lwpscope/sections`, else `~/.cache/lwpscope/sections`.
public struct InflatedSectionCache: Sendable {
    public struct Key: Hashable, Sendable {
        public var buildID: [UInt8]
        public var section: String
        public var compressedLength: Int
        public var compressedCRC: UInt32

        public init(buildID: [UInt8], section: String, compressed: UnsafeRawBufferPointer) {
            self.buildID = buildID
            self.section = section
            compressedLength = compressed.count
            compressedCRC = InflatedSectionCache.crc32(compressed)
        }

        var fileName: String {
            let id = buildID.isEmpty ? "no-build-id" : buildID.map { String($0, radix: 16).leftPadded(to: 2) }.joined()
            let name = section.map { $0.isLetter || $0.isNumber || $0 == "_" ? $0 : "-" }
            return "\(id)-\(String(name))-\(compressedLength)-\(String(compressedCRC, radix: 16))"
        }
    }

    /// Sections that inflate in less than this are not worth a file.
    public static let minimumLength = 64 << 10
    static let magic: [UInt8] = Array("LWPINFL1".utf8)
    /// Where the content starts: 16-aligned, as the inflated heap copy is.
    static let headerLength = 64

    public let directory: String?
    /// How long after its last change a checked file is noted as checked:
    /// longer than a tick of the clock ctime is kept in, so a later write
    /// always moves the ctime past what the note holds.
    let settledAfterSeconds: Double

    public init(directory: String?) { self.init(directory: directory, settledAfterSeconds: 2) }

    init(directory: String?, settledAfterSeconds: Double) {
        self.directory = directory
        self.settledAfterSeconds = settledAfterSeconds
    }

    /// The cache for this process, from the environment.
    public static let shared = InflatedSectionCache(directory: defaultDirectory())

    static func defaultDirectory() -> String? {
        func variable(_ name: String) -> String? {
            getenv(name).map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 }
        }
        // Only absolute paths: a relative one would move with the working directory.
        if let chosen = variable("LWPSCOPE_CACHE_DIR") { return chosen.hasPrefix("/") ? chosen : nil }
        if let base = variable("XDG_CACHE_HOME") { return base + "/lwpscope/sections" }
        if let home = variable("HOME") { return home + "/.cache/lwpscope/sections" }
        return nil
    }

    /// The section's inflated bytes, if a whole, matching file holds them.
    func load(_ key: Key, length: Int) -> MappedFile? {
        guard let directory, length >= Self.minimumLength else { return nil }
        let path = directory + "/" + key.fileName
        guard let file = try? MappedFile(path: path, contentOffset: Self.headerLength),
              file.mappedLength == Self.headerLength + length, let crc = headerCRC(file, key, length),
              contentMatches(file, path: path, crc: crc) else { return nil }
        return file
    }

    /// Keeps `bytes` for the next run; failures (no room, read-only) only
    /// mean the next run inflates again.
    func store(_ key: Key, _ bytes: UnsafeRawBufferPointer) {
        guard let directory, bytes.count >= Self.minimumLength, Self.makeDirectory(directory) else { return }
        var header = [UInt8](repeating: 0, count: Self.headerLength)
        header.replaceSubrange(0..<8, with: Self.magic)
        Self.put(UInt64(key.compressedLength), at: 8, in: &header)
        Self.put(UInt64(key.compressedCRC), at: 16, in: &header)
        Self.put(UInt64(bytes.count), at: 24, in: &header)
        Self.put(UInt64(Self.crc32(bytes)), at: 32, in: &header)
        header.withUnsafeBytes { Self.writeReplacing(directory + "/" + key.fileName, in: directory, [$0, bytes]) }
    }

    /// Writes `parts` under a temporary name and renames it to `path`:
    /// readers see the old file, the new one or none, never half of one.
    @discardableResult
    static func writeReplacing(_ path: String, in directory: String, _ parts: [UnsafeRawBufferPointer]) -> Bool {
        var template = Array("\(directory)/.tmp-\(getpid())-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { return false }
        let temporary = String(cString: template)
        let written = parts.allSatisfy { writeAll(fd, $0) }
        close(fd)
        guard written, rename(temporary, path) == 0 else {
            unlink(temporary)
            return false
        }
        return true
    }

    /// The content's CRC-32 the header records, if the rest of the header
    /// matches the key and the length.
    private func headerCRC(_ file: MappedFile, _ key: Key, _ length: Int) -> UInt32? {
        let header = UnsafeRawBufferPointer(rebasing: file.mapping[0..<Self.headerLength])
        func word(_ offset: Int) -> UInt64 { header.loadUnaligned(fromByteOffset: offset, as: UInt64.self).littleEndian }
        guard header.prefix(8).elementsEqual(Self.magic), word(8) == UInt64(key.compressedLength),
              word(16) == UInt64(key.compressedCRC), word(24) == UInt64(length) else { return nil }
        return UInt32(exactly: word(32))
    }

    /// The content's CRC-32, a megabyte at a time, each given back to the
    /// page cache once summed: checking a section must not make all of it
    /// resident (only what DWARF lookups touch later is).
    static func crc32Releasing(_ file: MappedFile) -> UInt32 {
        let chunk = 1 << 20
        var crc: UInt32 = 0
        var start = 0
        while start < file.bytes.count {
            let part = UnsafeRawBufferPointer(rebasing: file.bytes[start ..< min(start + chunk, file.bytes.count)])
            crc = libdeflate_crc32(crc, part.baseAddress!, part.count)
            file.release(part)
            start += chunk
        }
        return crc
    }

    static func crc32(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return 0 }
        return libdeflate_crc32(0, base, bytes.count)
    }

    private static func put(_ value: UInt64, at offset: Int, in bytes: inout [UInt8]) {
        for index in 0..<8 { bytes[offset + index] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(index))) }
    }

    private static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
        var done = 0
        while done < bytes.count {
            let wrote = write(fd, bytes.baseAddress! + done, bytes.count - done)
            if wrote < 0, errno == EINTR { continue }
            guard wrote > 0 else { return false }
            done += wrote
        }
        return true
    }

    /// The directory and its parents, private to us (0700) where we make them.
    private static func makeDirectory(_ path: String) -> Bool {
        var info = stat()
        if stat(path, &info) == 0 { return (info.st_mode & S_IFMT) == S_IFDIR && info.st_uid == geteuid() }
        var prefix = ""
        for part in path.split(separator: "/") {
            prefix += "/" + part
            if mkdir(prefix, 0o700) != 0 && errno != EEXIST { return false }
        }
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR && info.st_uid == geteuid()
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
