#if canImport(Glibc)
import Glibc
#endif
import ELF
import Unwind

/// A value as gdb prints it in a frame line (`print frame-arguments all`,
/// but structs as `{...}`): decimal integers, `65 'A'`, `true`, enumerator
/// names, `0x55d0c0a012a0 "text"`, `<optimized out>`.
struct ArgumentValueText {
    /// gdb's `print elements` default.
    static let maxStringLength = 200
    /// gdb's `print repeats`: longer runs of one character are folded.
    static let repeatThreshold = 10
    static let optimizedOut = "<optimized out>"

    let memory: any MemoryReader
    let registers: UnwindRegisters
    /// `<symbol+off>` for an address, as gdb's `print symbol` adds; nil for none.
    var symbolize: (UInt64) -> String? = { _ in nil }

    /// The value's bytes from its pieces, or the text to print instead.
    func bytes(of pieces: [LocatedPiece], size: Int) -> Result<[UInt8], TextFailure> {
        var out: [UInt8] = []
        out.reserveCapacity(size)
        for piece in pieces {
            let want = min(piece.size ?? size, max(0, size - out.count))
            guard want > 0 else { break }
            switch piece.location {
            case .optimizedOut: return .failure(.text(Self.optimizedOut))
            case .register(let n):
                guard let v = registers[n] else { return .failure(.text(Self.optimizedOut)) }
                out += littleEndian(v, count: want)
            case .value(let v): out += littleEndian(v, count: want)
            case .implicit(let raw):
                guard raw.count >= want else { return .failure(.text(Self.optimizedOut)) }
                out += raw.prefix(want)
            case .memory(let address):
                var buffer = [UInt8](repeating: 0, count: want)
                let ok = buffer.withUnsafeMutableBytes { memory.read(RuntimeAddress(address), into: $0) }
                guard ok else { return .failure(.text(Self.memoryError(address))) }
                out += buffer
            }
        }
        guard out.count == size else { return .failure(.text(Self.optimizedOut)) }
        return .success(out)
    }

    enum TextFailure: Error { case text(String) }

    static func memoryError(_ address: UInt64) -> String {
        "<error: Cannot access memory at address 0x\(String(address, radix: 16))>"
    }

    /// The whole value in words, from its location.
    func text(_ pieces: [LocatedPiece], type: ArgumentType?) -> String {
        guard let type, let size = type.scalarSize, size >= 1, size <= 8 else {
            if case .aggregate? = type?.stripped { return "{...}" }
            return Self.optimizedOut
        }
        if pieces.count == 1, let whole = wholeScalar(pieces[0], size: size) {
            switch whole {
            case .failure(.text(let text)): return text
            case .success(let value): return text(value: value, type: type)
            }
        }
        switch bytes(of: pieces, size: size) {
        case .failure(.text(let text)): return text
        case .success(let raw):
            var value: UInt64 = 0
            for (i, byte) in raw.enumerated() { value |= UInt64(byte) << (8 * UInt64(i)) }
            return text(value: value, type: type)
        }
    }

    /// The bits of a scalar that one piece holds whole, read without
    /// assembling bytes (most arguments); nil for what `bytes(of:size:)` must do.
    private func wholeScalar(_ piece: LocatedPiece, size: Int) -> Result<UInt64, TextFailure>? {
        guard piece.size.map({ $0 >= size }) ?? true else { return nil }
        let mask: UInt64 = size >= 8 ? .max : (1 << UInt64(8 * size)) - 1
        switch piece.location {
        case .register(let n):
            guard let v = registers[n] else { return .failure(.text(Self.optimizedOut)) }
            return .success(v & mask)
        case .value(let v): return .success(v & mask)
        case .memory(let address):
            guard let v = memory.readUnsigned(RuntimeAddress(address), size: size) else {
                return .failure(.text(Self.memoryError(address)))
            }
            return .success(v)
        default: return nil
        }
    }

    /// A scalar's text from its bits (zero-extended to 64).
    func text(value: UInt64, type: ArgumentType) -> String {
        switch type.stripped {
        case .base(_, let encoding, let size)?:
            let signed = signExtended(value, size: size)
            switch encoding {
            case DWBaseEncoding.boolean:
                return value == 0 ? "false" : value == 1 ? "true" : String(value)
            case DWBaseEncoding.signedChar, DWBaseEncoding.unsignedChar:
                let number = encoding == DWBaseEncoding.signedChar ? String(signed) : String(value)
                return size == 1 ? number + " " + Self.characterLiteral(UInt8(truncatingIfNeeded: value)) : number
            case DWBaseEncoding.signed: return String(signed)
            case DWBaseEncoding.float:
                if size == 8 { return Self.gdbFloat(Double(bitPattern: value), digits: 17) }
                if size == 4 { return Self.gdbFloat(Double(Float(bitPattern: UInt32(truncatingIfNeeded: value))), digits: 9) }
                return Self.optimizedOut
            case DWBaseEncoding.utf:
                return String(value)
            default: return String(value)
            }
        case .enumeration(_, let size, let enumerators)?:
            return Self.enumText(value: value, size: size, enumerators: enumerators)
        case .pointer(let target, _)?:
            let hex = "0x" + String(value, radix: 16)
            let symbol = value == 0 ? nil : symbolize(value).map { " <\($0)>" }
            if let target, target.isCharacter, value != 0 {
                return hex + (symbol ?? "") + " " + string(at: value)
            }
            return hex + (symbol ?? "")
        default:
            return Self.optimizedOut
        }
    }

    func signExtended(_ value: UInt64, size: Int) -> Int64 {
        guard size >= 1, size < 8 else { return Int64(bitPattern: value) }
        let shift = UInt64(64 - 8 * size)
        return Int64(bitPattern: value << shift) >> Int64(shift)
    }

    static func enumText(value: UInt64, size: Int, enumerators: [ArgumentType.Enumerator]) -> String {
        let anyNegative = enumerators.contains { $0.value < 0 }
        let number: Int64 = anyNegative && size < 8
            ? Int64(bitPattern: value << UInt64(64 - 8 * max(1, size))) >> Int64(64 - 8 * max(1, size))
            : Int64(bitPattern: value)
        if let match = enumerators.first(where: { $0.value == number }) { return match.name }
        // gdb's flag enums (dwarf2/read.c): every value 0 or a single bit, no two alike.
        let flags = enumerators.filter { $0.value != 0 }
        let isFlagEnum = !anyNegative && !flags.isEmpty && flags.allSatisfy { $0.value.nonzeroBitCount == 1 }
            && Set(flags.map(\.value)).count == flags.count
        guard isFlagEnum, number > 0 else { return anyNegative ? String(number) : String(value) }
        var rest = UInt64(bitPattern: number)
        var names: [String] = []
        for flag in flags where rest & UInt64(flag.value) == UInt64(flag.value) {
            names.append(flag.name)
            rest &= ~UInt64(flag.value)
        }
        if rest != 0 { names.append("unknown: 0x" + String(rest, radix: 16)) }
        return "(" + names.joined(separator: " | ") + ")"
    }

    /// `'A'`, `'\n'`, `'\000'`, as gdb writes a char.
    static func characterLiteral(_ byte: UInt8) -> String {
        "'" + escaped(byte, quote: UInt8(ascii: "'")) + "'"
    }

    static func escaped(_ byte: UInt8, quote: UInt8) -> String {
        switch byte {
        case 7: return "\\a"
        case 8: return "\\b"
        case 9: return "\\t"
        case 10: return "\\n"
        case 11: return "\\v"
        case 12: return "\\f"
        case 13: return "\\r"
        case 27: return "\\033"
        case UInt8(ascii: "\\"): return "\\\\"
        case quote: return "\\" + String(UnicodeScalar(byte))
        case 0x20 ..< 0x7f: return String(UnicodeScalar(byte))
        default:
            let octal = String(byte, radix: 8)
            return "\\" + String(repeating: "0", count: max(0, 3 - octal.count)) + octal
        }
    }

    /// gdb's text for a float: `%.17g` for a double, `%.9g` for a float
    /// (the digits that read back exactly), `nan(0x8000000000000)`, `inf`.
    static func gdbFloat(_ value: Double, digits: Int) -> String {
        if value.isNaN {
            let mantissa = String(value.bitPattern & ((1 << 52) - 1), radix: 16)
            return (value.sign == .minus ? "-" : "") + "nan(0x" + mantissa + ")"
        }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        var buffer = [CChar](repeating: 0, count: 64)
        let written = withVaList([value]) { arguments in
            buffer.withUnsafeMutableBufferPointer { vsnprintf($0.baseAddress, 64, "%.\(digits)g", arguments) }
        }
        guard written > 0 else { return "\(value)" }
        return String(decoding: buffer.prefix(Int(min(written, 63))).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The C string at `address`: `"text"`, `"first 200"...`, or gdb's memory error.
    func string(at address: UInt64) -> String {
        var bytes: [UInt8] = []
        var terminated = false
        var cursor = address
        let chunk = 32
        outer: while bytes.count < Self.maxStringLength {
            var buffer = [UInt8](repeating: 0, count: chunk)
            var got = buffer.withUnsafeMutableBytes { memory.read(RuntimeAddress(cursor), into: $0) } ? chunk : 0
            if got == 0 {
                // Near the end of readable memory: byte by byte.
                for i in 0 ..< chunk {
                    var one: UInt8 = 0
                    let ok = withUnsafeMutableBytes(of: &one) { memory.read(RuntimeAddress(cursor &+ UInt64(i)), into: $0) }
                    guard ok else { break }
                    buffer[i] = one
                    got = i + 1
                }
                if got == 0 {
                    if bytes.isEmpty { return Self.memoryError(cursor) }
                    break outer
                }
            }
            for byte in buffer.prefix(got) {
                if byte == 0 { terminated = true; break outer }
                bytes.append(byte)
                if bytes.count == Self.maxStringLength { break outer }
            }
            if got < chunk { break }
            cursor &+= UInt64(chunk)
        }
        var text = Self.quoted(bytes)
        if !terminated, bytes.count >= Self.maxStringLength { text += "..." }
        return text
    }

    /// `"abc", 'x' <repeats 15 times>, "def"`: gdb folds runs longer than the threshold.
    static func quoted(_ bytes: [UInt8]) -> String {
        var parts: [String] = []
        var open = ""
        var inQuote = false
        var i = 0
        while i < bytes.count {
            var run = 1
            while i + run < bytes.count, bytes[i + run] == bytes[i] { run += 1 }
            if run > repeatThreshold {
                if inQuote { parts.append("\"" + open + "\""); open = ""; inQuote = false }
                parts.append(characterLiteral(bytes[i]) + " <repeats \(run) times>")
                i += run
                continue
            }
            inQuote = true
            open += escaped(bytes[i], quote: UInt8(ascii: "\""))
            i += 1
        }
        if inQuote || parts.isEmpty { parts.append("\"" + open + "\"") }
        return parts.joined(separator: ", ")
    }

    private func littleEndian(_ value: UInt64, count: Int) -> [UInt8] {
        (0 ..< count).map { i in i < 8 ? UInt8(truncatingIfNeeded: value >> (8 * UInt64(i))) : 0 }
    }
}
