import ELF

/// Why a piece of debug information could not be used. Internal: lookups turn
/// every failure into "no answer" for that unit or table, never a crash.
enum DWARFError: Error, CustomStringConvertible {
    /// A read ran past the end of a section.
    case truncated(section: String, ByteReadError)
    /// The bytes are there but make no sense (a bad code, a zero divisor, a loop).
    case malformed(section: String, offset: Int, what: String)
    /// Well-formed but not something we read, such as 64-bit DWARF.
    case unsupported(section: String, offset: Int, what: String)

    var description: String {
        switch self {
        case .truncated(let section, let error): "\(section): \(error)"
        case .malformed(let section, let offset, let what): "\(section) at offset 0x\(String(offset, radix: 16)): malformed \(what)"
        case .unsupported(let section, let offset, let what): "\(section) at offset 0x\(String(offset, radix: 16)): unsupported \(what)"
        }
    }
}
