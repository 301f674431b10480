/// RFC 3492 Punycode decoding as Rust v0 mangling uses it: the basic
/// (ASCII) part arrives separately and `_` replaced the `-` delimiter.
enum Punycode {
    private static let base = 36
    private static let tMin = 1
    private static let tMax = 26
    private static let skew = 38
    private static let initialDamp = 700
    private static let initialBias = 72
    private static let initialN = 0x80

    /// Longest decoded identifier we bother with; anything longer is printed
    /// in its encoded form, as rustc-demangle does.
    static let maxDecodedLength = 128

    /// Decodes `encoded` (the deltas) on top of the basic code points `basic`.
    /// Returns nil on malformed input, overflow or an over-long result.
    static func decode(basic: ArraySlice<UInt8>, encoded: ArraySlice<UInt8>) -> [Unicode.Scalar]? {
        guard !encoded.isEmpty, basic.count <= maxDecodedLength else { return nil }
        var output: [Unicode.Scalar] = basic.map { Unicode.Scalar($0) }
        var n = initialN
        var i = 0
        var bias = initialBias
        var damp = initialDamp
        var index = encoded.startIndex

        while index < encoded.endIndex {
            // One generalized variable-length integer: the next delta.
            var delta = 0
            var weight = 1
            var k = 0
            while true {
                guard index < encoded.endIndex, let digit = digitValue(encoded[index]) else { return nil }
                index += 1
                k += base
                let threshold = min(max(k - bias, tMin), tMax)
                let (scaled, overflow1) = digit.multipliedReportingOverflow(by: weight)
                let (sum, overflow2) = delta.addingReportingOverflow(scaled)
                guard !overflow1, !overflow2 else { return nil }
                delta = sum
                if digit < threshold { break }
                let (nextWeight, overflow3) = weight.multipliedReportingOverflow(by: base - threshold)
                guard !overflow3 else { return nil }
                weight = nextWeight
            }

            let length = output.count + 1
            let (position, overflow) = i.addingReportingOverflow(delta)
            guard !overflow else { return nil }
            let (nextN, overflowN) = n.addingReportingOverflow(position / length)
            guard !overflowN else { return nil }
            n = nextN
            i = position % length
            guard n <= 0x10FFFF, let scalar = Unicode.Scalar(UInt32(n)) else { return nil }
            guard output.count < maxDecodedLength else { return nil }
            output.insert(scalar, at: i)
            i += 1

            bias = adapt(delta: delta, length: length, damp: damp)
            damp = 2
        }
        return output
    }

    private static func adapt(delta: Int, length: Int, damp: Int) -> Int {
        var delta = delta / damp
        delta += delta / length
        var k = 0
        while delta > ((base - tMin) * tMax) / 2 {
            delta /= base - tMin
            k += base
        }
        return k + ((base - tMin + 1) * delta) / (delta + skew)
    }

    private static func digitValue(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"): Int(byte - UInt8(ascii: "a"))
        case UInt8(ascii: "0")...UInt8(ascii: "9"): 26 + Int(byte - UInt8(ascii: "0"))
        default: nil
        }
    }
}
