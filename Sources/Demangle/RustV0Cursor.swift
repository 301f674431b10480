/// Why a Rust v0 symbol could not be demangled.
enum RustV0Error: Error {
    case invalid
    case recursionLimit
    case outputTooLong
    case tooMuchWork
}

/// An identifier as mangled: an ASCII part and, for `u`-prefixed names, the
/// Punycode deltas that follow it.
struct RustV0Identifier {
    var ascii: ArraySlice<UInt8>
    var punycode: ArraySlice<UInt8>

    var isEmpty: Bool { ascii.isEmpty && punycode.isEmpty }
}

/// Reads the lexical pieces of a v0 symbol (numbers, identifiers, hex
/// nibbles) from the bytes that follow `_R`. Positions are offsets into those
/// bytes because backreferences count from there.
struct RustV0Cursor {
    /// Bytes read, over all backreference revisits, before we give up:
    /// bounded output alone does not bound work, since a revisited impl path
    /// is re-read without printing.
    static let maxBytesRead = 1_000_000

    let bytes: [UInt8]
    var position = 0
    private var bytesRead = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    var isAtEnd: Bool { position >= bytes.count }

    func peek() -> UInt8? {
        position < bytes.count ? bytes[position] : nil
    }

    mutating func next() throws(RustV0Error) -> UInt8 {
        guard position < bytes.count else { throw .invalid }
        bytesRead += 1
        guard bytesRead <= Self.maxBytesRead else { throw .tooMuchWork }
        defer { position += 1 }
        return bytes[position]
    }

    /// Consumes `byte` if it comes next. Counted like `next`; the limit is
    /// enforced at the next `next`, which every path and type node calls.
    mutating func eat(_ byte: UInt8) -> Bool {
        guard peek() == byte else { return false }
        position += 1
        bytesRead += 1
        return true
    }

    /// `<base-62-number> = {<0-9a-zA-Z>} "_"`; `_` alone is 0, digits encode value - 1.
    mutating func base62() throws(RustV0Error) -> UInt64 {
        if eat(UInt8(ascii: "_")) { return 0 }
        var value: UInt64 = 0
        while !eat(UInt8(ascii: "_")) {
            let byte = try next()
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "z"): digit = 10 + byte - UInt8(ascii: "a")
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): digit = 36 + byte - UInt8(ascii: "A")
            default: throw .invalid
            }
            let (scaled, overflow1) = value.multipliedReportingOverflow(by: 62)
            let (sum, overflow2) = scaled.addingReportingOverflow(UInt64(digit))
            guard !overflow1, !overflow2 else { throw .invalid }
            value = sum
        }
        let (result, overflow) = value.addingReportingOverflow(1)
        guard !overflow else { throw .invalid }
        return result
    }

    /// A base-62 number introduced by `tag`, or 0 when the tag is absent
    /// (disambiguators `s`, binders `G`).
    mutating func optionalBase62(tag: UInt8) throws(RustV0Error) -> UInt64 {
        guard eat(tag) else { return 0 }
        let (result, overflow) = try base62().addingReportingOverflow(1)
        guard !overflow else { throw .invalid }
        return result
    }

    mutating func disambiguator() throws(RustV0Error) -> UInt64 {
        try optionalBase62(tag: UInt8(ascii: "s"))
    }

    /// `<undisambiguated-identifier> = ["u"] <decimal-number> ["_"] <bytes>`
    mutating func identifier() throws(RustV0Error) -> RustV0Identifier {
        let isPunycode = eat(UInt8(ascii: "u"))
        var length = try decimalDigit()
        if length != 0 {
            while let byte = peek(), byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                position += 1
                let (scaled, overflow1) = length.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = scaled.addingReportingOverflow(Int(byte - UInt8(ascii: "0")))
                guard !overflow1, !overflow2 else { throw .invalid }
                length = sum
            }
        }
        // The separator only exists when the name starts with a digit or `_`.
        _ = eat(UInt8(ascii: "_"))
        guard length <= bytes.count - position else { throw .invalid }
        let name = bytes[position..<(position + length)]
        position += length

        guard isPunycode else { return RustV0Identifier(ascii: name, punycode: []) }
        // The last `_` separates the basic code points from the deltas.
        let identifier: RustV0Identifier
        if let split = name.lastIndex(of: UInt8(ascii: "_")) {
            identifier = RustV0Identifier(ascii: name[..<split], punycode: name[(split + 1)...])
        } else {
            identifier = RustV0Identifier(ascii: [], punycode: name)
        }
        guard !identifier.punycode.isEmpty else { throw .invalid }
        return identifier
    }

    /// `{<hex-digit>} "_"`, lowercase only; returns the digits without the `_`.
    mutating func hexNibbles() throws(RustV0Error) -> ArraySlice<UInt8> {
        let start = position
        while true {
            switch try next() {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"):
                continue
            case UInt8(ascii: "_"):
                return bytes[start..<(position - 1)]
            default:
                throw .invalid
            }
        }
    }

    private mutating func decimalDigit() throws(RustV0Error) -> Int {
        let byte = try next()
        guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { throw .invalid }
        return Int(byte - UInt8(ascii: "0"))
    }
}

extension ArraySlice<UInt8> {
    /// The value of hex nibbles when it fits in 64 bits (leading zeros ignored).
    var hexValue: UInt64? {
        let significant = drop { $0 == UInt8(ascii: "0") }
        guard significant.count <= 16 else { return nil }
        var value: UInt64 = 0
        for byte in significant {
            let digit = byte <= UInt8(ascii: "9") ? byte - UInt8(ascii: "0") : 10 + byte - UInt8(ascii: "a")
            value = value << 4 | UInt64(digit)
        }
        return value
    }
}
