import CZlib

extension ELFFile {
    /// The separate debug file named by .gnu_debuglink: a file name (no
    /// directory) and the CRC32 of that file's entire contents. Nil if the
    /// section is missing or malformed.
    public var debugLink: (name: String, crc: UInt32)? {
        guard let section = section(named: ".gnu_debuglink"), let data = try? data(of: section) else { return nil }
        guard let nul = data.firstIndex(of: 0), nul > 0 else { return nil }
        let crcAt = (nul + 1 + 3) & ~3  // name, NUL, padding to 4
        guard crcAt + 4 <= data.count else { return nil }
        let name = String(decoding: UnsafeRawBufferPointer(rebasing: data[..<nul]), as: UTF8.self)
        let crc = UInt32(littleEndian: data.loadUnaligned(fromByteOffset: crcAt, as: UInt32.self))
        return (name, crc)
    }
}

/// The CRC32 that .gnu_debuglink records (the zlib/IEEE 802.3 polynomial).
public func gnuDebugLinkCRC(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
    var crc: uLong = crc32(0, nil, 0)
    var rest = bytes
    // zlib takes 32-bit lengths; feed large files in chunks.
    while let base = rest.baseAddress, rest.count > 0 {
        let chunk = min(rest.count, 1 << 30)
        crc = crc32(crc, base.assumingMemoryBound(to: Bytef.self), uInt(chunk))
        rest = UnsafeRawBufferPointer(rebasing: rest[chunk...])
    }
    return UInt32(truncatingIfNeeded: crc)
}
