/// A string table section (SHT_STRTAB) that symbols point into by offset.
///
/// Holds its owner so the bytes outlive the `ELFFile` that produced them;
/// names are decoded only when a symbol is handed out.
struct StringTable: @unchecked Sendable {
    let owner: MappedFile
    let bytes: UnsafeRawBufferPointer

    /// The NUL-terminated string at `offset`; an unterminated string ends at
    /// the end of the table, an offset past the end gives "".
    static func string(in bytes: UnsafeRawBufferPointer, at offset: Int) -> String {
        let raw = rawString(in: bytes, at: offset)
        return String(decoding: raw, as: UTF8.self)
    }

    static func rawString(in bytes: UnsafeRawBufferPointer, at offset: Int) -> UnsafeRawBufferPointer {
        guard offset >= 0, offset < bytes.count, let base = bytes.baseAddress else {
            return UnsafeRawBufferPointer(start: nil, count: 0)
        }
        let start = base + offset
        let limit = bytes.count - offset
        let length: Int
        if let nul = memchr(start, 0, limit) {
            length = UnsafeRawPointer(nul) - start
        } else {
            length = limit
        }
        return UnsafeRawBufferPointer(start: start, count: length)
    }

    func string(at offset: UInt32) -> String { StringTable.string(in: bytes, at: Int(offset)) }
    func raw(at offset: UInt32) -> UnsafeRawBufferPointer { StringTable.rawString(in: bytes, at: Int(offset)) }
}

#if canImport(Glibc)
import Glibc
#endif

/// Byte-wise comparison of two raw names (memcmp order, shorter first on a tie).
@inline(__always)
func compareNames(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
    let n = min(a.count, b.count)
    if n > 0, let pa = a.baseAddress, let pb = b.baseAddress {
        let c = memcmp(pa, pb, n)
        if c != 0 { return Int(c) }
    }
    return a.count - b.count
}
