/// An address in the running process: what registers, /proc/PID/maps and
/// memory reads speak. Turned into a `FileAddress` only by the `LoadBias` of
/// the module instance it lies in, so the two cannot be mixed by accident
/// (BugStalker's `RelocatedAddress`).
@frozen
public struct RuntimeAddress: TypedAddress {
    public var rawValue: UInt64

    @inlinable @inline(__always)
    public init(_ rawValue: UInt64) { self.rawValue = rawValue }
}

/// An address as the ELF file states it (link time): symbol values, section
/// and segment addresses, FDE ranges, DWARF line and inline ranges. The same
/// for every process that maps the file; `LoadBias` places it in one of them
/// (BugStalker's `GlobalAddress`).
@frozen
public struct FileAddress: TypedAddress {
    public var rawValue: UInt64

    @inlinable @inline(__always)
    public init(_ rawValue: UInt64) { self.rawValue = rawValue }
}

/// What both kinds of address can do on their own: compare, step by a byte
/// count, measure a distance. Never combine with the other kind.
public protocol TypedAddress: Hashable, Comparable, Sendable, CustomStringConvertible, ExpressibleByIntegerLiteral
where IntegerLiteralType == UInt64 {
    var rawValue: UInt64 { get }
    init(_ rawValue: UInt64)
}

extension TypedAddress {
    @inlinable
    public init(integerLiteral value: UInt64) { self.init(value) }

    @inlinable @inline(__always)
    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }

    /// `count` bytes further on, wrapping as the machine does.
    @inlinable @inline(__always)
    public static func + (address: Self, count: UInt64) -> Self { Self(address.rawValue &+ count) }

    /// `count` bytes back, wrapping as the machine does.
    @inlinable @inline(__always)
    public static func - (address: Self, count: UInt64) -> Self { Self(address.rawValue &- count) }

    /// How far this address lies past `base` (wrapping).
    @inlinable @inline(__always)
    public func offset(from base: Self) -> UInt64 { rawValue &- base.rawValue }

    public var description: String { "0x" + String(rawValue, radix: 16) }
}
