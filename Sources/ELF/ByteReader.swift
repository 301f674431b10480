/// A failure to read bytes that were promised by a table or header: names the
/// offset (from the start of the buffer being read) and what was being read.
public struct ByteReadError: Error, Equatable, CustomStringConvertible, Sendable {
    public let offset: Int
    public let what: String

    public init(offset: Int, what: String) {
        self.offset = offset
        self.what = what
    }

    public var description: String { "\(what) at offset 0x\(String(offset, radix: 16)) runs past the end of the data" }
}

/// A bounds-checked little-endian cursor over borrowed bytes.
///
/// Every read checks the remaining length first and throws instead of trapping,
/// so corrupt or truncated input can never read out of bounds. The reader does
/// not own the memory: whoever made it keeps the bytes alive (an mmap, an array).
public struct ByteReader {
    public let base: UnsafeRawBufferPointer
    /// Offset of the next byte to read, from the start of `base`.
    public var offset: Int

    public init(_ base: UnsafeRawBufferPointer, offset: Int = 0) {
        self.base = base
        self.offset = offset
    }

    public var count: Int { base.count }
    public var remaining: Int { max(0, base.count - offset) }
    public var isAtEnd: Bool { offset >= base.count }

    @inline(__always)
    private func require(_ n: Int, _ what: @autoclosure () -> String) throws(ByteReadError) {
        guard n >= 0, offset >= 0, offset <= base.count, base.count - offset >= n else {
            throw ByteReadError(offset: offset, what: what())
        }
    }

    public mutating func seek(to newOffset: Int) throws(ByteReadError) {
        guard newOffset >= 0, newOffset <= base.count else {
            throw ByteReadError(offset: newOffset, what: "seek")
        }
        offset = newOffset
    }

    public mutating func skip(_ n: Int) throws(ByteReadError) {
        try require(n, "skip of \(n) bytes")
        offset += n
    }

    public mutating func u8() throws(ByteReadError) -> UInt8 {
        try require(1, "u8")
        defer { offset += 1 }
        return base[offset]
    }

    public mutating func u16() throws(ByteReadError) -> UInt16 {
        try require(2, "u16")
        defer { offset += 2 }
        return UInt16(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
    }

    public mutating func u32() throws(ByteReadError) -> UInt32 {
        try require(4, "u32")
        defer { offset += 4 }
        return UInt32(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    public mutating func u64() throws(ByteReadError) -> UInt64 {
        try require(8, "u64")
        defer { offset += 8 }
        return UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    public mutating func i8() throws(ByteReadError) -> Int8 { Int8(bitPattern: try u8()) }
    public mutating func i16() throws(ByteReadError) -> Int16 { Int16(bitPattern: try u16()) }
    public mutating func i32() throws(ByteReadError) -> Int32 { Int32(bitPattern: try u32()) }
    public mutating func i64() throws(ByteReadError) -> Int64 { Int64(bitPattern: try u64()) }

    /// Unsigned LEB128; bits beyond 64 are dropped rather than trapping.
    public mutating func uleb128() throws(ByteReadError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try u8()
            if shift < 64 { result |= UInt64(byte & 0x7f) << shift }
            shift += 7
            if byte & 0x80 == 0 { return result }
        }
    }

    /// Signed LEB128; bits beyond 64 are dropped rather than trapping.
    public mutating func sleb128() throws(ByteReadError) -> Int64 {
        var result: Int64 = 0
        var shift: UInt64 = 0
        var byte: UInt8
        repeat {
            byte = try u8()
            if shift < 64 { result |= Int64(byte & 0x7f) << shift }
            shift += 7
        } while byte & 0x80 != 0
        // Sign-extend; done on bit patterns so a shift of 63 cannot overflow.
        if shift < 64, byte & 0x40 != 0 { result |= Int64(bitPattern: ~UInt64(0) << shift) }
        return result
    }

    /// A NUL-terminated string; throws if no NUL comes before the end.
    public mutating func cString() throws(ByteReadError) -> String {
        let start = offset
        guard start >= 0, start <= base.count else { throw ByteReadError(offset: start, what: "string") }
        var end = start
        while end < base.count, base[end] != 0 { end += 1 }
        guard end < base.count else { throw ByteReadError(offset: start, what: "unterminated string") }
        offset = end + 1
        return String(decoding: UnsafeRawBufferPointer(rebasing: base[start..<end]), as: UTF8.self)
    }

    /// A sub-range as its own buffer (no copy).
    public mutating func bytes(_ n: Int) throws(ByteReadError) -> UnsafeRawBufferPointer {
        try require(n, "\(n) bytes")
        defer { offset += n }
        return UnsafeRawBufferPointer(rebasing: base[offset..<(offset + n)])
    }
}
