#if canImport(Glibc)
import Glibc
#endif

/// Everything that can go wrong while reading an ELF file, as one-line messages.
///
/// Offsets are from the start of the file (or of the decompressed section for
/// data inside a compressed section), so a bad file can be inspected with
/// `xxd -s OFFSET`.
public enum ELFError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The first four bytes are not `\x7fELF` (or the file is shorter than that).
    case notELF(path: String?)
    /// EI_CLASS is not ELFCLASS64 (1 means a 32-bit file).
    case unsupportedClass(UInt8)
    /// EI_DATA is not ELFDATA2LSB.
    case unsupportedEndianness(UInt8)
    /// e_machine is not EM_X86_64 (62).
    case wrongMachine(UInt16)
    /// A read ran past the end of the file or section.
    case truncated(offset: Int, what: String)
    /// A value is inconsistent (bad entry size, index out of range, ...).
    case malformed(offset: Int, what: String)
    /// A section uses a compression scheme we cannot decode (e.g. zstd = 2).
    case compressedSectionUnsupported(section: String, compressionType: UInt32)
    /// zlib rejected a compressed section's payload.
    /// The zlib stream would not inflate; `status` is libdeflate's result (1 bad data, 2 short, 3 too long).
    case decompressionFailed(section: String, status: Int32)
    /// A system call failed; `errno` is the C errno.
    case io(path: String, operation: String, errno: Int32)
    /// The file exists but has no bytes.
    case emptyFile(path: String)

    /// Wraps a bounds failure from `ByteReader`; `base` is where the reader's
    /// buffer starts in the file, so the offset is reported file-relative.
    init(_ error: ByteReadError, base: Int = 0) {
        self = .truncated(offset: base &+ error.offset, what: error.what)
    }

    public var description: String {
        switch self {
        case .notELF(let path):
            return "not an ELF file (bad magic)" + (path.map { ": \($0)" } ?? "")
        case .unsupportedClass(let c):
            return c == 1 ? "32-bit ELF files are not supported (EI_CLASS=1)"
                : "unsupported ELF class \(c) (only ELFCLASS64 is supported)"
        case .unsupportedEndianness(let d):
            return d == 2 ? "big-endian ELF files are not supported (EI_DATA=2)"
                : "unsupported ELF data encoding \(d) (only little-endian is supported)"
        case .wrongMachine(let m):
            return "ELF machine \(m) is not x86_64 (EM_X86_64=62)"
        case .truncated(let offset, let what):
            return "truncated ELF: \(what) at offset 0x\(String(offset, radix: 16)) runs past the end"
        case .malformed(let offset, let what):
            return "malformed ELF: \(what) at offset 0x\(String(offset, radix: 16))"
        case .compressedSectionUnsupported(let section, let type):
            return "section \(section) uses unsupported compression type \(type)"
        case .decompressionFailed(let section, let status):
            return "section \(section): corrupt zlib data (libdeflate result \(status))"
        case .io(let path, let operation, let errno):
            return "\(operation) \(path): \(String(cString: strerror(errno)))"
        case .emptyFile(let path):
            return "\(path) is empty, not an ELF file"
        }
    }
}
