/// How far one loaded instance of a module was moved from its link-time
/// addresses: runtime address minus file address, in two's complement (a
/// module can load below its link address). Zero for a non-PIE executable.
///
/// The one place the two kinds of address turn into each other; find one
/// with `ELFFile.loadBias(mappingStart:fileOffset:executable:)`.
@frozen
public struct LoadBias: Hashable, Sendable, CustomStringConvertible {
    /// Runtime minus file address, wrapping.
    public var displacement: UInt64

    @inlinable
    public init(displacement: UInt64) { self.displacement = displacement }

    /// The bias that puts `file` at `runtime`.
    @inlinable
    public init(runtime: RuntimeAddress, file: FileAddress) {
        displacement = runtime.rawValue &- file.rawValue
    }

    /// A module loaded where it was linked.
    public static let zero = LoadBias(displacement: 0)

    @inlinable @inline(__always)
    public func runtimeAddress(of address: FileAddress) -> RuntimeAddress {
        RuntimeAddress(address.rawValue &+ displacement)
    }

    @inlinable @inline(__always)
    public func fileAddress(of address: RuntimeAddress) -> FileAddress {
        FileAddress(address.rawValue &- displacement)
    }

    /// Where the bytes of `range` are in the process.
    @inlinable
    public func runtimeRange(of range: Range<FileAddress>) -> Range<RuntimeAddress> {
        runtimeAddress(of: range.lowerBound) ..< runtimeAddress(of: range.upperBound)
    }

    public var description: String { "0x" + String(displacement, radix: 16) }
}
