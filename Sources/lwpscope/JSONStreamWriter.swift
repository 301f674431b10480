#if canImport(Glibc)
import Glibc
#endif

/// Writes pretty-printed JSON straight to stdout in chunks, in the same shape
/// JSONEncoder gives (two-space indent, `"key" : value`), for outputs too
/// big to build as one tree in memory (a dump of thousands of threads).
/// Callers write keys in sorted order.
struct JSONStreamWriter {
    private var buffer: [UInt8] = []
    private var depth = 0
    private var needsComma: [Bool] = [false]

    init() { buffer.reserveCapacity(1 << 16) }

    mutating func beginObject(key: StaticString? = nil) { open(key, "{") }
    mutating func endObject() { close("}") }
    mutating func beginArray(key: StaticString? = nil) { open(key, "[") }
    mutating func endArray() { close("]") }

    mutating func field(_ key: StaticString, _ value: String?) { item(key) { $0.string(value) } }
    mutating func field(_ key: StaticString, _ value: Int) { item(key) { $0.decimal(value) } }
    mutating func field(_ key: StaticString, _ value: UInt64) { item(key) { $0.decimal(value) } }
    mutating func field(_ key: StaticString, _ value: Int32) { item(key) { $0.decimal(Int(value)) } }
    mutating func field(_ key: StaticString, _ value: Int?) { item(key) { if let value { $0.decimal(value) } else { $0.raw("null") } } }
    mutating func field(_ key: StaticString, _ value: Bool) { item(key) { $0.raw(value ? "true" : "false") } }
    /// `"0x…"`, lowercase hex, as `hex(_:)` spells addresses.
    mutating func field(_ key: StaticString, hex value: UInt64) { item(key) { $0.hexString(value) } }

    mutating func field(_ key: StaticString, strings: [String]) {
        beginArray(key: key)
        for value in strings { item(nil) { $0.string(value) } }
        endArray()
    }

    /// Everything written so far, then a newline.
    mutating func finish() {
        raw("\n")
        flush()
    }

    private mutating func open(_ key: StaticString?, _ bracket: String) {
        item(key) { $0.raw(bracket) }
        depth += 1
        needsComma.append(false)
    }

    private mutating func close(_ bracket: String) {
        let hadItems = needsComma.removeLast()
        depth -= 1
        if hadItems { newline() } else if bracket == "]" || bracket == "}" { raw("\n"); indent(); }
        raw(bracket)
    }

    /// Keys are literals: written as they are, with no escaping to look for.
    private mutating func item(_ key: StaticString?, _ value: (inout JSONStreamWriter) -> Void) {
        if needsComma[needsComma.count - 1] { buffer.append(UInt8(ascii: ",")) }
        needsComma[needsComma.count - 1] = true
        if depth > 0 { newline() }
        if let key {
            buffer.append(UInt8(ascii: "\""))
            buffer.append(contentsOf: UnsafeRawBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
            buffer.append(UInt8(ascii: "\""))
            buffer.append(UInt8(ascii: " "))
            buffer.append(UInt8(ascii: ":"))
            buffer.append(UInt8(ascii: " "))
        }
        value(&self)
        if buffer.count >= 1 << 16 { flush() }
    }

    private mutating func newline() {
        buffer.append(UInt8(ascii: "\n"))
        indent()
    }

    private static let spaces = [UInt8](repeating: UInt8(ascii: " "), count: 64)

    private mutating func indent() {
        var count = depth * 2
        while count > 0 {
            let chunk = min(count, Self.spaces.count)
            buffer.append(contentsOf: Self.spaces[..<chunk])
            count -= chunk
        }
    }

    private mutating func raw(_ text: String) { buffer.append(contentsOf: text.utf8) }

    // Numbers go straight into the buffer: a dump of thousands of threads
    // writes hundreds of thousands, and a String for each was a tenth of its time.
    private mutating func decimal<T: BinaryInteger>(_ value: T) {
        if value < 0 { buffer.append(UInt8(ascii: "-")) }
        digits(value.magnitude, radix: 10)
    }

    private mutating func hexString(_ value: UInt64) {
        buffer.append(UInt8(ascii: "\""))
        buffer.append(UInt8(ascii: "0"))
        buffer.append(UInt8(ascii: "x"))
        digits(value, radix: 16)
        buffer.append(UInt8(ascii: "\""))
    }

    private mutating func digits<T: BinaryInteger>(_ value: T, radix: T) {
        var scratch: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: enough for 2^64 in decimal
        withUnsafeMutableBytes(of: &scratch) { room in
            var end = room.count
            var rest = value
            repeat {
                let digit = UInt8(truncatingIfNeeded: rest % radix)
                rest /= radix
                end -= 1
                room[end] = digit < 10 ? UInt8(ascii: "0") + digit : UInt8(ascii: "a") + digit - 10
            } while rest != 0
            buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: room[end...]))
        }
    }

    private mutating func string(_ value: String?) {
        guard var value else { return raw("null") }
        buffer.append(UInt8(ascii: "\""))
        // Most strings (names, paths) need no escaping: copy them whole.
        let plain = value.withUTF8 { bytes in
            guard !bytes.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else { return false }
            buffer.append(contentsOf: bytes)
            return true
        }
        if plain { return buffer.append(UInt8(ascii: "\"")) }
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): raw("\\\"")
            case UInt8(ascii: "\\"): raw("\\\\")
            case 0x0A: raw("\\n")
            case 0x0D: raw("\\r")
            case 0x09: raw("\\t")
            case 0..<0x20:
                raw("\\u00" + (byte < 0x10 ? "0" : "") + String(byte, radix: 16))
            default: buffer.append(byte)
            }
        }
        buffer.append(UInt8(ascii: "\""))
    }

    private mutating func flush() {
        var offset = 0
        buffer.withUnsafeBytes { bytes in
            while offset < bytes.count {
                let n = write(1, bytes.baseAddress! + offset, bytes.count - offset)
                if n <= 0 { if errno == EINTR { continue }; return }
                offset += n
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
