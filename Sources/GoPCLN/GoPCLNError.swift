/// Why a `.gopclntab` could not be read. Offsets are from the table's start.
public enum GoPCLNError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The first word is none of the magics this reader knows (Go 1.16–1.2x).
    case unknownMagic(UInt32)
    /// Pointers that are not 8 bytes: a 32-bit program.
    case unsupportedPointerSize(UInt8)
    /// A pc quantum other than 1, 2 or 4 (amd64 uses 1).
    case unsupportedQuantum(UInt8)
    /// A header field points outside the table.
    case outOfBounds(field: String, offset: UInt64)
    /// A read ran past the end of the table.
    case truncated(offset: Int, what: String)

    public var description: String {
        switch self {
        case .unknownMagic(let magic): "not a Go pclntab (magic 0x\(String(magic, radix: 16)))"
        case .unsupportedPointerSize(let size): "Go pclntab with \(size)-byte pointers is not supported"
        case .unsupportedQuantum(let quantum): "Go pclntab with pc quantum \(quantum) is not supported"
        case .outOfBounds(let field, let offset): "Go pclntab \(field) 0x\(String(offset, radix: 16)) lies outside the table"
        case .truncated(let offset, let what): "Go pclntab: \(what) at offset 0x\(String(offset, radix: 16)) runs past the end"
        }
    }
}
