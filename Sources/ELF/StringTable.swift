/// A string table section (SHT_STRTAB) that symbols point into by offset.
///
/// Holds its owner so the bytes outlive the `ELFFile` that produced them;
/// names are decoded only when a symbol is handed out.
struct StringTable: @unchecked Sendable {
    let owner: MappedFile
    /// The table up to and including its last NUL, so every string that
    /// starts inside it is terminated inside it (C string functions are safe).
    let bytes: UnsafeRawBufferPointer

    init(owner: MappedFile, bytes: UnsafeRawBufferPointer) {
        self.owner = owner
        var end = bytes.count
        while end > 0, bytes[end - 1] != 0 { end -= 1 }
        self.bytes = UnsafeRawBufferPointer(rebasing: bytes[..<end])
    }

    /// The C string at `offset`; the caller has checked `offset < bytes.count`.
    @inline(__always)
    func cString(at offset: UInt32) -> UnsafePointer<CChar> {
        (bytes.baseAddress! + Int(offset)).assumingMemoryBound(to: CChar.self)
    }

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

    /// Whether the string at `offset` is exactly `wanted`, without scanning
    /// for its end first.
    func matches(at offset: UInt32, _ wanted: UnsafeRawBufferPointer) -> Bool {
        let start = Int(offset)
        guard start < bytes.count, wanted.count <= bytes.count - start, let base = bytes.baseAddress else { return false }
        let end = start + wanted.count
        guard end == bytes.count || bytes[end] == 0 else { return false }
        guard let w = wanted.baseAddress, wanted.count > 0 else { return true }
        return memcmp(base + start, w, wanted.count) == 0
    }

    func string(at offset: UInt32) -> String { StringTable.string(in: bytes, at: Int(offset)) }
    func raw(at offset: UInt32) -> UnsafeRawBufferPointer { StringTable.rawString(in: bytes, at: Int(offset)) }
}

#if canImport(Glibc)
import Glibc
#endif
