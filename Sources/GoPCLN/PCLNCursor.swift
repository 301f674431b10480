import ELF

/// `ByteReader` with the pclntab's own error: every read is bounds-checked,
/// so a corrupt table ends in `GoPCLNError.truncated`, never a trap.
struct PCLNCursor {
    var reader: ByteReader

    init(_ bytes: UnsafeRawBufferPointer, offset: Int = 0) {
        reader = ByteReader(bytes, offset: offset)
    }

    var offset: Int { reader.offset }

    mutating func u8() throws(GoPCLNError) -> UInt8 { try wrap { (r: inout ByteReader) throws(ByteReadError) in try r.u8() } }
    mutating func u32() throws(GoPCLNError) -> UInt32 { try wrap { (r: inout ByteReader) throws(ByteReadError) in try r.u32() } }
    mutating func u64() throws(GoPCLNError) -> UInt64 { try wrap { (r: inout ByteReader) throws(ByteReadError) in try r.u64() } }
    mutating func skip(_ count: Int) throws(GoPCLNError) { try wrap { (r: inout ByteReader) throws(ByteReadError) in try r.skip(count) } }
    mutating func seek(to offset: Int) throws(GoPCLNError) { try wrap { (r: inout ByteReader) throws(ByteReadError) in try r.seek(to: offset) } }
    /// Go's varints are unsigned LEB128.
    mutating func uvarint() throws(GoPCLNError) -> UInt64 { try wrap { (r: inout ByteReader) throws(ByteReadError) in try r.uleb128() } }
    mutating func cString() throws(GoPCLNError) -> String { try wrap { (r: inout ByteReader) throws(ByteReadError) in try r.cString() } }

    private mutating func wrap<T>(_ body: (inout ByteReader) throws(ByteReadError) -> T) throws(GoPCLNError) -> T {
        do {
            return try body(&reader)
        } catch {
            throw .truncated(offset: error.offset, what: error.what)
        }
    }
}
