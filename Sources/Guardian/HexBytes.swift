/// Bytes as lowercase hex digits, two per byte, for the guardian's text lines.
enum HexBytes {
    private static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// nil unless every character is a hex digit and they pair up.
    static func decode(_ text: ArraySlice<UInt8>) -> [UInt8]? {
        guard text.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.count / 2)
        var index = text.startIndex
        while index < text.endIndex {
            guard let high = value(of: text[index]), let low = value(of: text[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    /// An unsigned number in hex (no 0x), at most 16 digits.
    static func number(_ text: ArraySlice<UInt8>) -> UInt64? {
        guard !text.isEmpty, text.count <= 16 else { return nil }
        var result: UInt64 = 0
        for character in text {
            guard let digit = value(of: character) else { return nil }
            result = result << 4 | UInt64(digit)
        }
        return result
    }

    private static func value(of character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0") ... UInt8(ascii: "9"): character - UInt8(ascii: "0")
        case UInt8(ascii: "a") ... UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A") ... UInt8(ascii: "F"): character - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// A decimal number, digits only (no sign, no spaces), that fits `T`.
func decimalNumber<T: FixedWidthInteger>(_ text: ArraySlice<UInt8>, as _: T.Type) -> T? {
    guard !text.isEmpty, text.count <= 20 else { return nil }
    var result: T = 0
    for character in text {
        guard character >= UInt8(ascii: "0"), character <= UInt8(ascii: "9") else { return nil }
        let (shifted, overflow1) = result.multipliedReportingOverflow(by: 10)
        let (sum, overflow2) = shifted.addingReportingOverflow(T(character - UInt8(ascii: "0")))
        guard !overflow1, !overflow2 else { return nil }
        result = sum
    }
    return result
}
