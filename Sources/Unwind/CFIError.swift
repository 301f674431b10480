import ELF

/// Which CFI section a byte offset refers to.
public enum CFISectionKind: Sendable, Equatable {
    case ehFrame
    case ehFrameHeader
    case debugFrame
    /// A DWARF expression block or an instruction stream handed in directly.
    case expression
}

/// A failure to make sense of call-frame information, carrying the section and
/// the byte offset where it was noticed so a corrupt binary can be reported.
public struct CFIError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: Equatable, Sendable {
        /// Data ran out: what was being read.
        case truncated(String)
        /// A length field points past the end of the section or is too small.
        case badLength(UInt64)
        /// An FDE's CIE pointer does not lead to a CIE.
        case badCIEPointer(UInt64)
        /// An entry expected to be a CIE is an FDE or vice versa.
        case notACIE
        case notAnFDE
        case unsupportedVersion(UInt8)
        /// An augmentation string we cannot skip (no leading "z").
        case unknownAugmentation(String)
        case badPointerEncoding(UInt8)
        /// DW_EH_PE_indirect with no memory to read through.
        case indirectPointerUnavailable
        /// A base (text, data, function) the encoding needs was not given.
        case missingBase(UInt8)
        case unknownInstruction(UInt8)
        case rememberStateOverflow
        case restoreStateUnderflow
        /// def_cfa_register / def_cfa_offset used while the CFA is an expression.
        case cfaRuleNotRegister
        case registerOutOfRange(UInt64)
        /// The eh_frame_hdr table has an encoding we cannot binary-search.
        case unsearchableTable(UInt8)
        case headerVersion(UInt8)
        /// The CFA was never defined by the CIE or FDE.
        case undefinedCFA
        // DWARF expression evaluation (offsets are within the expression block).
        case unknownOperation(UInt8)
        case stackUnderflow
        case stackOverflow
        case divisionByZero
        case badBranch(Int)
        case tooManySteps
        case registerUnavailable(Int)
        case memoryReadFailed(UInt64)
        /// DW_OP_reg*/regx: a register location, not allowed in CFI.
        case registerLocationNotAllowed
        case emptyStack
    }

    public let kind: Kind
    public let section: CFISectionKind
    public let offset: Int

    public init(_ kind: Kind, section: CFISectionKind, offset: Int) {
        self.kind = kind
        self.section = section
        self.offset = offset
    }

    public var description: String {
        "\(section) offset 0x\(String(offset, radix: 16)): \(kind)"
    }
}

/// A ByteReader that reports failures as `CFIError` for one section, so parsing
/// code can use a single typed error. LEB128 here never traps on overlong input.
struct CFICursor {
    var reader: ByteReader
    let section: CFISectionKind

    init(_ base: UnsafeRawBufferPointer, section: CFISectionKind, offset: Int = 0) {
        reader = ByteReader(base, offset: offset)
        self.section = section
    }

    var offset: Int {
        get { reader.offset }
        set { reader.offset = newValue }
    }
    var count: Int { reader.count }
    var isAtEnd: Bool { reader.isAtEnd }
    var remaining: Int { reader.remaining }
    var base: UnsafeRawBufferPointer { reader.base }

    func error(_ kind: CFIError.Kind, at offset: Int? = nil) -> CFIError {
        CFIError(kind, section: section, offset: offset ?? reader.offset)
    }

    private func wrap(_ e: ByteReadError) -> CFIError {
        CFIError(.truncated(e.what), section: section, offset: e.offset)
    }

    mutating func u8() throws(CFIError) -> UInt8 {
        do { return try reader.u8() } catch { throw wrap(error) }
    }
    mutating func u16() throws(CFIError) -> UInt16 {
        do { return try reader.u16() } catch { throw wrap(error) }
    }
    mutating func u32() throws(CFIError) -> UInt32 {
        do { return try reader.u32() } catch { throw wrap(error) }
    }
    mutating func u64() throws(CFIError) -> UInt64 {
        do { return try reader.u64() } catch { throw wrap(error) }
    }
    mutating func skip(_ n: Int) throws(CFIError) {
        do { try reader.skip(n) } catch { throw wrap(error) }
    }
    mutating func seek(to o: Int) throws(CFIError) {
        do { try reader.seek(to: o) } catch { throw wrap(error) }
    }
    mutating func cString() throws(CFIError) -> String {
        do { return try reader.cString() } catch { throw wrap(error) }
    }
    mutating func bytes(_ n: Int) throws(CFIError) -> UnsafeRawBufferPointer {
        do { return try reader.bytes(n) } catch { throw wrap(error) }
    }

    /// Unsigned LEB128; bits past 64 are dropped.
    mutating func uleb128() throws(CFIError) -> UInt64 {
        do { return try reader.uleb128() } catch { throw wrap(error) }
    }

    /// Signed LEB128; bits past 64 are dropped.
    mutating func sleb128() throws(CFIError) -> Int64 {
        do { return try reader.sleb128() } catch { throw wrap(error) }
    }

    /// A ULEB128 length that must fit in the rest of the data.
    mutating func blockLength() throws(CFIError) -> Int {
        let start = offset
        let n = try uleb128()
        guard n <= UInt64(remaining) else { throw error(.badLength(n), at: start) }
        return Int(n)
    }
}
