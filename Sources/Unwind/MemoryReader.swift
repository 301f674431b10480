import ELF

/// Reads the stopped target's memory at runtime addresses. Backtraces
/// supplies one backed by a copy of the stack taken while the thread was
/// stopped (falling back to live reads); tests supply a hand-built stack.
public protocol MemoryReader {
    /// Fills `buffer` with the bytes at `address`; false if any byte is unreadable.
    func read(_ address: RuntimeAddress, into buffer: UnsafeMutableRawBufferPointer) -> Bool
}

extension MemoryReader {
    @inline(__always)
    public func readU64(_ address: RuntimeAddress) -> UInt64? {
        var value: UInt64 = 0
        let ok = withUnsafeMutableBytes(of: &value) { read(address, into: $0) }
        return ok ? UInt64(littleEndian: value) : nil
    }

    @inline(__always)
    public func readU32(_ address: RuntimeAddress) -> UInt32? {
        var value: UInt32 = 0
        let ok = withUnsafeMutableBytes(of: &value) { read(address, into: $0) }
        return ok ? UInt32(littleEndian: value) : nil
    }

    /// Reads `size` (1...8) bytes as a zero-extended little-endian value.
    public func readUnsigned(_ address: RuntimeAddress, size: Int) -> UInt64? {
        guard size >= 1, size <= 8 else { return nil }
        var value: UInt64 = 0
        let ok = withUnsafeMutableBytes(of: &value) {
            read(address, into: UnsafeMutableRawBufferPointer(rebasing: $0[0..<size]))
        }
        return ok ? UInt64(littleEndian: value) : nil
    }
}

/// Bytes copied from the target at one address: a thread's stack, taken
/// while it was stopped. Reads that do not lie inside the copy fail; the
/// reader Backtraces unwinds with puts live reads behind it.
public struct SnapshotMemory: MemoryReader, Sendable {
    public let base: RuntimeAddress
    public let bytes: [UInt8]

    public init(base: RuntimeAddress, bytes: [UInt8]) {
        self.base = base
        self.bytes = bytes
    }

    /// Fills the front of `buffer` with what the copy has from `address` on;
    /// returns how many bytes that was (0 when `address` is outside it).
    @inline(__always)
    public func readPrefix(_ address: RuntimeAddress, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        guard address >= base, address.offset(from: base) < UInt64(bytes.count) else { return 0 }
        let start = Int(address.offset(from: base))
        let count = min(buffer.count, bytes.count - start)
        bytes.withUnsafeBytes { source in
            buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[start ..< start + count]))
        }
        return count
    }

    public func read(_ address: RuntimeAddress, into buffer: UnsafeMutableRawBufferPointer) -> Bool {
        buffer.isEmpty || readPrefix(address, into: buffer) == buffer.count
    }
}
