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

/// Memory made of one contiguous copy (a stack snapshot) plus an optional
/// fallback for addresses outside it (live reads of the target).
public struct SnapshotMemory: MemoryReader {
    public let base: RuntimeAddress
    public let bytes: [UInt8]
    public let fallback: ((RuntimeAddress, UnsafeMutableRawBufferPointer) -> Bool)?

    public init(base: RuntimeAddress, bytes: [UInt8], fallback: ((RuntimeAddress, UnsafeMutableRawBufferPointer) -> Bool)? = nil) {
        self.base = base
        self.bytes = bytes
        self.fallback = fallback
    }

    public func read(_ runtimeAddress: RuntimeAddress, into buffer: UnsafeMutableRawBufferPointer) -> Bool {
        let address = runtimeAddress.rawValue, base = self.base.rawValue
        let n = UInt64(buffer.count)
        if address >= base, address &- base <= UInt64(bytes.count), UInt64(bytes.count) - (address &- base) >= n {
            let start = Int(address - base)
            bytes.withUnsafeBytes { src in
                buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: src[start..<(start + buffer.count)]))
            }
            return true
        }
        return fallback?(runtimeAddress, buffer) ?? false
    }
}
