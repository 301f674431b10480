/// One x86_64 instruction moved elsewhere: the code a thread runs at
/// `copyAddress` instead of the instruction at `originalAddress`, with the
/// same effect on every register, flag and memory cell, after which it goes
/// on at the instruction that followed the original (or wherever the
/// original would have branched to).
///
/// How a hold point lets a thread past its trap byte without removing it
/// (gdb's displaced stepping, but the thread runs the copy freely instead
/// of single-stepping it): a parked thread's pc already points at its copy,
/// so whoever resumes it, we or the kernel when lwpscope dies, resumes it
/// correctly.
public struct DisplacedCopy: Equatable, Sendable {
    /// The original instruction's length in bytes.
    public let instructionLength: Int
    /// The code to write at `copyAddress`; at most `maximumLength` bytes.
    public let code: [UInt8]

    /// The most bytes `code` can take: what a caller reserves per copy.
    public static let maximumLength = 64

    public init(instructionLength: Int, code: [UInt8]) {
        self.instructionLength = instructionLength
        self.code = code
    }
}

/// Why an instruction cannot be displaced; each says what to do instead.
public enum DisplacementError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Not a valid x86_64 instruction (or cut short): the address is not an
    /// instruction's first byte.
    case undecodable(bytes: [UInt8])
    /// Valid, but its effect depends on where it runs in a way a copy
    /// cannot keep (named in `why`).
    case unsupported(why: String)
    /// The copy is more than ±2 GiB from what the instruction refers to.
    case outOfReach(target: UInt64)

    public var description: String {
        switch self {
        case .undecodable(let bytes):
            "no instruction starts here (bytes \(bytes.prefix(8).map { String($0, radix: 16) }.joined(separator: " "))): choose a function, a line, or an address at an instruction's start"
        case .unsupported(let why): "cannot move this instruction (\(why)): choose the next line or the function"
        case .outOfReach(let target): "the copy would be more than 2 GiB from 0x\(String(target, radix: 16))"
        }
    }
}
