/// Rust's legacy mangling: an Itanium-shaped `_ZN...E` path whose last
/// element is a `h<16 hex>` hash, with punctuation escaped as `$..$`.
/// Printed like rustc-demangle's alternate form: hash dropped.
enum RustLegacyDemangler {
    static func demangle(_ symbol: String) -> String? {
        let utf8 = Array(RustSuffix.strippingLLVMSuffix(symbol[...]).utf8)
        let prefixLength: Int
        if utf8.starts(with: "_ZN".utf8) {
            prefixLength = 3
        } else if utf8.starts(with: "__ZN".utf8) {
            prefixLength = 4  // Mach-O style extra underscore.
        } else {
            return nil
        }
        guard utf8.allSatisfy({ $0 < 0x80 }) else { return nil }
        guard let (elements, end) = splitElements(utf8, from: prefixLength),
              let hash = elements.last, isHash(hash), elements.count >= 2 else { return nil }
        let suffix = utf8[end...]
        guard suffix.isEmpty || RustSuffix.isKeepable(suffix) else { return nil }

        var output: [UInt8] = []
        for (index, element) in elements.dropLast().enumerated() {
            if index > 0 { output.append(contentsOf: "::".utf8) }
            unescape(element, into: &output)
        }
        output.append(contentsOf: suffix)
        return String(decoding: output, as: UTF8.self)
    }

    /// Whether `symbol` has the legacy Rust shape (the hash is the tell that
    /// separates it from a C++ nested name).
    static func isLegacyRust(_ symbol: String) -> Bool {
        demangle(symbol) != nil
    }

    /// Length-prefixed elements up to the closing `E`; returns them and the
    /// offset just past the `E`.
    private static func splitElements(_ bytes: [UInt8], from start: Int) -> ([ArraySlice<UInt8>], Int)? {
        var elements: [ArraySlice<UInt8>] = []
        var position = start
        while true {
            guard position < bytes.count else { return nil }
            if bytes[position] == UInt8(ascii: "E") { return (elements, position + 1) }
            var length = 0
            guard bytes[position].isASCIIDigit else { return nil }
            while position < bytes.count, bytes[position].isASCIIDigit {
                let (scaled, overflow1) = length.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = scaled.addingReportingOverflow(Int(bytes[position] - UInt8(ascii: "0")))
                guard !overflow1, !overflow2 else { return nil }
                length = sum
                position += 1
            }
            guard length > 0, length <= bytes.count - position else { return nil }
            elements.append(bytes[position..<(position + length)])
            position += length
        }
    }

    /// `h` followed by 16 lowercase hex digits.
    private static func isHash(_ element: ArraySlice<UInt8>) -> Bool {
        guard element.count == 17, element.first == UInt8(ascii: "h") else { return false }
        return element.dropFirst().allSatisfy(\.isLowercaseHexDigit)
    }

    /// Decodes `$LT$`-style escapes and `..` (a path separator inside an
    /// element, as in `{{closure}}` impls).
    private static func unescape(_ element: ArraySlice<UInt8>, into output: inout [UInt8]) {
        var rest = element
        // A leading `_` only protects an escape from looking like a number.
        if rest.starts(with: "_$".utf8) { rest = rest.dropFirst() }
        while let byte = rest.first {
            if byte == UInt8(ascii: ".") {
                if rest.dropFirst().first == UInt8(ascii: ".") {
                    output.append(contentsOf: "::".utf8)
                    rest = rest.dropFirst(2)
                } else {
                    output.append(byte)
                    rest = rest.dropFirst()
                }
            } else if byte == UInt8(ascii: "$") {
                guard let close = rest.dropFirst().firstIndex(of: UInt8(ascii: "$")),
                      let decoded = decodeEscape(rest[(rest.startIndex + 1)..<close]) else { break }
                output.append(contentsOf: decoded.utf8)
                rest = rest[(close + 1)...]
            } else {
                output.append(byte)
                rest = rest.dropFirst()
            }
        }
        // An unknown escape ends decoding; the rest is shown raw.
        output.append(contentsOf: rest)
    }

    private static func decodeEscape(_ code: ArraySlice<UInt8>) -> String? {
        switch String(decoding: code, as: UTF8.self) {
        case "SP": return "@"
        case "BP": return "*"
        case "RF": return "&"
        case "LT": return "<"
        case "GT": return ">"
        case "LP": return "("
        case "RP": return ")"
        case "C": return ","
        default:
            // `$u7e$`: a code point in lowercase hex.
            guard code.first == UInt8(ascii: "u"), code.count > 1, code.count <= 9,
                  code.dropFirst().allSatisfy(\.isLowercaseHexDigit),
                  let value = UInt32(String(decoding: code.dropFirst(), as: UTF8.self), radix: 16),
                  let scalar = Unicode.Scalar(value),
                  scalar.properties.generalCategory != .control else { return nil }
            return String(scalar)
        }
    }
}

extension UInt8 {
    var isASCIIDigit: Bool { self >= UInt8(ascii: "0") && self <= UInt8(ascii: "9") }
    var isLowercaseHexDigit: Bool {
        isASCIIDigit || (self >= UInt8(ascii: "a") && self <= UInt8(ascii: "f"))
    }
}
