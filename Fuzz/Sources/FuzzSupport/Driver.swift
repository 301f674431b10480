#if canImport(Glibc)
import Glibc
#endif

/// libFuzzer's entry point for programs that keep their own `main`.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

/// Runs libFuzzer with the process arguments and `callback`, then exits.
public func runFuzzer(_ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Never {
    var argc = CommandLine.argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
    exit(LLVMFuzzerRunDriver(&argc, &argv, callback))
}

/// Little-endian cursor over the fuzzer's input for the framed formats.
public struct InputCursor {
    public let bytes: UnsafeRawBufferPointer
    public var offset = 0

    public init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    public var remaining: Int { bytes.count - offset }

    public mutating func u64() -> UInt64 {
        var v: UInt64 = 0
        for i in 0..<8 where offset + i < bytes.count { v |= UInt64(bytes[offset + i]) << (8 * UInt64(i)) }
        offset = min(bytes.count, offset + 8)
        return v
    }

    public mutating func u32() -> UInt32 {
        var v: UInt32 = 0
        for i in 0..<4 where offset + i < bytes.count { v |= UInt32(bytes[offset + i]) << (8 * UInt32(i)) }
        offset = min(bytes.count, offset + 4)
        return v
    }

    /// The next `n` bytes (fewer at the end).
    public mutating func take(_ n: Int) -> UnsafeRawBufferPointer {
        let end = min(bytes.count, offset + max(0, n))
        defer { offset = end }
        return UnsafeRawBufferPointer(rebasing: bytes[offset..<end])
    }

    public mutating func rest() -> UnsafeRawBufferPointer { take(remaining) }
}
