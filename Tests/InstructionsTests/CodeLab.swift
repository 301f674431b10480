import Glibc
import Instructions

/// A private stretch of memory where a test writes machine code, makes it
/// executable and calls it: an original snippet, displaced copies of its
/// instructions, entry stubs that set registers and flags first.
final class CodeLab {
    static let size = 0x10000
    /// Where the original snippet goes; copies go before or after it.
    static let snippetOffset = 0x8000
    /// Data the snippet addresses RIP-relatively.
    static let dataOffset = 0x9000
    /// Entry stubs.
    static let stubOffset = 0xE000

    let base: UnsafeMutableRawPointer
    private var nextStub = CodeLab.stubOffset

    init() {
        let mapped = mmap(nil, Self.size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        precondition(mapped != MAP_FAILED, "mmap failed: errno \(errno)")
        base = mapped!
        // int3 everywhere, so a jump to a wrong place traps at once.
        base.initializeMemory(as: UInt8.self, repeating: 0xCC, count: Self.size)
    }

    deinit { munmap(base, Self.size) }

    func address(_ offset: Int) -> UInt64 { UInt64(UInt(bitPattern: base)) + UInt64(offset) }
    var snippet: UInt64 { address(Self.snippetOffset) }
    var data: UInt64 { address(Self.dataOffset) }

    func write(_ bytes: [UInt8], at offset: Int) {
        setWritable(true)
        for (index, byte) in bytes.enumerated() { base.storeBytes(of: byte, toByteOffset: offset + index, as: UInt8.self) }
    }

    func write64(_ value: UInt64, at offset: Int) {
        write((0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }, at: offset)
    }

    /// The displaced copy of the snippet's instruction at `instructionOffset`,
    /// built for and written at `copyOffset`.
    @discardableResult
    func placeCopy(ofSnippetAt instructionOffset: Int, at copyOffset: Int) throws -> DisplacedCopy {
        let original = snippet + UInt64(instructionOffset)
        let bytes = (0..<15).map { base.load(fromByteOffset: Self.snippetOffset + instructionOffset + $0, as: UInt8.self) }
        let copy = try Displacement.copy(of: bytes, at: original, to: address(copyOffset))
        write(copy.code, at: copyOffset)
        return copy
    }

    /// A stub that runs `setup` (position-independent code) and jumps to
    /// `target`; returns the stub's address.
    func stub(_ setup: [UInt8], thenJumpTo target: UInt64) -> UInt64 {
        let offset = nextStub
        let jumpEnd = address(offset + setup.count + 5)
        write(setup + [0xE9] + le32(Int32(truncatingIfNeeded: Int64(bitPattern: target &- jumpEnd))), at: offset)
        nextStub += (setup.count + 5 + 15) & ~15
        return address(offset)
    }

    typealias Function = @convention(c) (UInt64, UnsafeMutablePointer<UInt64>) -> UInt64

    /// Calls the code at `address` as `f(rdi, rsi)`, returning rax.
    func call(_ address: UInt64, rdi: UInt64 = 0, out: UnsafeMutablePointer<UInt64>? = nil) -> UInt64 {
        setWritable(false)
        let function = unsafeBitCast(UnsafeRawPointer(bitPattern: UInt(address))!, to: Function.self)
        if let out { return function(rdi, out) }
        var scratch = [UInt64](repeating: 0, count: 8)
        return scratch.withUnsafeMutableBufferPointer { function(rdi, $0.baseAddress!) }
    }

    private var writable = true
    private func setWritable(_ wanted: Bool) {
        guard wanted != writable else { return }
        let protection = wanted ? PROT_READ | PROT_WRITE : PROT_READ | PROT_EXEC
        precondition(mprotect(base, Self.size, protection) == 0, "mprotect failed: errno \(errno)")
        writable = wanted
    }
}

func le32(_ value: Int32) -> [UInt8] {
    let bits = UInt32(bitPattern: value)
    return (0..<4).map { UInt8(truncatingIfNeeded: bits >> (8 * $0)) }
}

/// The rel32/disp32 from an instruction ending at `end` to `target`.
func rel32(from end: UInt64, to target: UInt64) -> [UInt8] {
    le32(Int32(truncatingIfNeeded: Int64(bitPattern: target &- end)))
}
