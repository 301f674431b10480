/// Const generic arguments: integers, bool, char, string literals and, for
/// newer compilers, references, arrays, tuples and ADT values.
extension RustV0Printer {
    mutating func printConst(inValue: Bool) throws(RustV0Error) {
        let tag = try cursor.next()
        try pushDepth()
        defer { popDepth() }
        // Outside an expression, anything but a literal needs braces.
        var openedBrace = false
        func openBrace(_ printer: inout RustV0Printer) throws(RustV0Error) {
            guard !inValue else { return }
            openedBrace = true
            try printer.print("{")
        }

        switch tag {
        case UInt8(ascii: "p"):
            try print("_")
        case UInt8(ascii: "h"), UInt8(ascii: "t"), UInt8(ascii: "m"),
             UInt8(ascii: "y"), UInt8(ascii: "o"), UInt8(ascii: "j"):
            try printConstUnsigned()
        case UInt8(ascii: "a"), UInt8(ascii: "s"), UInt8(ascii: "l"),
             UInt8(ascii: "x"), UInt8(ascii: "n"), UInt8(ascii: "i"):
            if cursor.eat(UInt8(ascii: "n")) { try print("-") }
            try printConstUnsigned()
        case UInt8(ascii: "b"):
            switch try cursor.hexNibbles().hexValue {
            case 0: try print("false")
            case 1: try print("true")
            default: throw .invalid
            }
        case UInt8(ascii: "c"):
            guard let value = try cursor.hexNibbles().hexValue, value <= UInt64(UInt32.max),
                  let scalar = Unicode.Scalar(UInt32(value)) else { throw .invalid }
            try printQuoted([scalar], quote: "'")
        case UInt8(ascii: "e"):
            // `str` itself: printed as `*"..."` (a string literal is `&str`).
            try openBrace(&self)
            try print("*")
            try printConstStringLiteral()
        case UInt8(ascii: "R"), UInt8(ascii: "Q"):
            if tag == UInt8(ascii: "R"), cursor.eat(UInt8(ascii: "e")) {
                try printConstStringLiteral()
            } else {
                try openBrace(&self)
                try print(tag == UInt8(ascii: "R") ? "&" : "&mut ")
                try printConst(inValue: true)
            }
        case UInt8(ascii: "A"):
            try openBrace(&self)
            try print("[")
            try printList(separator: ", ") { (printer: inout RustV0Printer) throws(RustV0Error) in
                try printer.printConst(inValue: true)
            }
            try print("]")
        case UInt8(ascii: "T"):
            try openBrace(&self)
            try print("(")
            let count = try printList(separator: ", ") { (printer: inout RustV0Printer) throws(RustV0Error) in
                try printer.printConst(inValue: true)
            }
            if count == 1 { try print(",") }
            try print(")")
        case UInt8(ascii: "V"):
            try openBrace(&self)
            try printPath(inValue: true)
            try printConstVariantFields()
        case UInt8(ascii: "B"):
            try followBackref { (printer: inout RustV0Printer) throws(RustV0Error) in
                try printer.printConst(inValue: inValue)
            }
        default:
            throw .invalid
        }
        if openedBrace { try print("}") }
    }

    /// After an ADT constant's path: `U` (unit), `T` (tuple) or `S` (struct) fields.
    private mutating func printConstVariantFields() throws(RustV0Error) {
        switch try cursor.next() {
        case UInt8(ascii: "U"):
            break
        case UInt8(ascii: "T"):
            try print("(")
            try printList(separator: ", ") { (printer: inout RustV0Printer) throws(RustV0Error) in
                try printer.printConst(inValue: true)
            }
            try print(")")
        case UInt8(ascii: "S"):
            try print(" { ")
            try printList(separator: ", ") { (printer: inout RustV0Printer) throws(RustV0Error) in
                _ = try printer.cursor.disambiguator()
                try printer.print(try printer.cursor.identifier())
                try printer.print(": ")
                try printer.printConst(inValue: true)
            }
            try print(" }")
        default:
            throw .invalid
        }
    }

    private mutating func printConstUnsigned() throws(RustV0Error) {
        let nibbles = try cursor.hexNibbles()
        if let value = nibbles.hexValue {
            try print("\(value)")
        } else {
            // Wider than 64 bits: shown verbatim rather than via big integers.
            try print("0x")
            try print(bytes: nibbles)
        }
    }

    private mutating func printConstStringLiteral() throws(RustV0Error) {
        let nibbles = try cursor.hexNibbles()
        guard nibbles.count % 2 == 0 else { throw .invalid }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(nibbles.count / 2)
        var index = nibbles.startIndex
        while index < nibbles.endIndex {
            guard let byte = nibbles[index..<(index + 2)].hexValue else { throw .invalid }
            bytes.append(UInt8(byte))
            index += 2
        }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw .invalid }
        try printQuoted(Array(text.unicodeScalars), quote: "\"")
    }

    /// A char or string literal, escaped like Rust's `escape_debug`, except
    /// that the other kind of quote is left alone.
    private mutating func printQuoted(_ scalars: [Unicode.Scalar], quote: Unicode.Scalar) throws(RustV0Error) {
        var text = String(quote)
        for scalar in scalars {
            switch scalar {
            case "\t": text += "\\t"
            case "\r": text += "\\r"
            case "\n": text += "\\n"
            case "\\": text += "\\\\"
            case "\0": text += "\\0"
            case "\"", "'":
                text += scalar == quote ? "\\\(scalar)" : String(scalar)
            default:
                if scalar.properties.generalCategory == .control || scalar.properties.generalCategory == .format {
                    text += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    text.unicodeScalars.append(scalar)
                }
            }
        }
        text.unicodeScalars.append(quote)
        try print(text)
    }
}
