/// Rust v0 symbols (`_R...`, RFC 2603), printed like rustc-demangle's
/// alternate `{:#}` form: no crate disambiguators, no const type suffixes.
///
/// The grammar is walked twice: once without output to validate the whole
/// symbol (backreferences are not followed then, so it is linear), and once
/// to print. Depth and output size are bounded so hostile input can neither
/// exhaust the stack nor blow up through nested backreferences.
enum RustV0Demangler {
    static let maxDepth = 200
    static let maxOutputBytes = 64 * 1024

    static func demangle(_ symbol: String) -> String? {
        let utf8 = Array(RustSuffix.strippingLLVMSuffix(symbol[...]).utf8)
        let prefixLength: Int
        if utf8.starts(with: "_R".utf8) {
            prefixLength = 2
        } else if utf8.starts(with: "__R".utf8) {
            prefixLength = 3  // Mach-O style extra underscore.
        } else {
            return nil
        }
        let inner = Array(utf8[prefixLength...])
        guard let first = inner.first, first.isASCIIUppercase, inner.allSatisfy({ $0 < 0x80 }) else {
            return nil
        }

        // Validate: the path, then an optional instantiating crate, then a suffix.
        var validator = RustV0Printer(bytes: inner, printing: false)
        do {
            try validator.printPath(inValue: false)
            if let next = validator.cursor.peek(), next.isASCIIUppercase {
                try validator.printPath(inValue: false)
            }
        } catch {
            return nil
        }
        let suffix = inner[validator.cursor.position...]
        guard suffix.isEmpty || RustSuffix.isKeepable(suffix) else { return nil }

        var printer = RustV0Printer(bytes: inner, printing: true)
        do {
            try printer.printPath(inValue: true)
        } catch {
            return nil
        }
        printer.output.append(contentsOf: suffix)
        return String(decoding: printer.output, as: UTF8.self)
    }
}

/// The recursive walk over the v0 grammar, printing as it goes.
struct RustV0Printer {
    var cursor: RustV0Cursor
    let printing: Bool
    var output: [UInt8] = []
    private var depth = 0
    /// Lifetimes bound by enclosing `for<...>` binders.
    private var boundLifetimes: UInt64 = 0

    init(bytes: [UInt8], printing: Bool) {
        cursor = RustV0Cursor(bytes)
        self.printing = printing
    }

    // MARK: Paths

    mutating func printPath(inValue: Bool) throws(RustV0Error) {
        try pushDepth()
        defer { popDepth() }
        switch try cursor.next() {
        case UInt8(ascii: "C"):
            // Crate root; its disambiguator is a hash the alternate form omits.
            _ = try cursor.disambiguator()
            try print(try cursor.identifier())
        case UInt8(ascii: "N"):
            let namespace = try cursor.next()
            try printPath(inValue: inValue)
            let disambiguator = try cursor.disambiguator()
            let name = try cursor.identifier()
            try printNested(namespace: namespace, name: name, disambiguator: disambiguator)
        case let tag where tag == UInt8(ascii: "M") || tag == UInt8(ascii: "X") || tag == UInt8(ascii: "Y"):
            if tag != UInt8(ascii: "Y") {
                // The impl's own path is only there to make the symbol unique.
                _ = try cursor.disambiguator()
                try skipping { (printer: inout RustV0Printer) throws(RustV0Error) in
                    try printer.printPath(inValue: false)
                }
            }
            try print("<")
            try printType()
            if tag != UInt8(ascii: "M") {
                try print(" as ")
                try printPath(inValue: false)
            }
            try print(">")
        case UInt8(ascii: "I"):
            try printPath(inValue: inValue)
            // In expressions generic arguments need the turbofish.
            if inValue { try print("::") }
            try print("<")
            try printList(separator: ", ") { (printer: inout RustV0Printer) throws(RustV0Error) in
                try printer.printGenericArgument()
            }
            try print(">")
        case UInt8(ascii: "B"):
            try followBackref { (printer: inout RustV0Printer) throws(RustV0Error) in
                try printer.printPath(inValue: inValue)
            }
        default:
            throw .invalid
        }
    }

    private mutating func printNested(
        namespace: UInt8, name: RustV0Identifier, disambiguator: UInt64
    ) throws(RustV0Error) {
        switch namespace {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"):
            // Special namespaces: closures, shims and friends, e.g. `{closure#0}`.
            try print("::{")
            switch namespace {
            case UInt8(ascii: "C"): try print("closure")
            case UInt8(ascii: "S"): try print("shim")
            default: try print(bytes: [namespace])
            }
            if !name.isEmpty {
                try print(":")
                try print(name)
            }
            try print("#\(disambiguator)}")
        case UInt8(ascii: "a")...UInt8(ascii: "z"):
            // Internal namespaces (types, values): only the name shows.
            if !name.isEmpty {
                try print("::")
                try print(name)
            }
        default:
            throw .invalid
        }
    }

    /// A path that, in `dyn` bounds, may leave its `<` open for associated
    /// type bindings. Returns whether it did.
    private mutating func printPathMaybeOpenGenerics() throws(RustV0Error) -> Bool {
        if cursor.eat(UInt8(ascii: "B")) {
            var open = false
            try followBackref { (printer: inout RustV0Printer) throws(RustV0Error) in
                open = try printer.printPathMaybeOpenGenerics()
            }
            return open
        }
        if cursor.eat(UInt8(ascii: "I")) {
            try printPath(inValue: false)
            try print("<")
            try printList(separator: ", ") { (printer: inout RustV0Printer) throws(RustV0Error) in
                try printer.printGenericArgument()
            }
            return true
        }
        try printPath(inValue: false)
        return false
    }

    private mutating func printGenericArgument() throws(RustV0Error) {
        if cursor.eat(UInt8(ascii: "L")) {
            try printLifetime(index: try cursor.base62())
        } else if cursor.eat(UInt8(ascii: "K")) {
            try printConst(inValue: false)
        } else {
            try printType()
        }
    }

    // MARK: Types

    private mutating func printType() throws(RustV0Error) {
        let tag = try cursor.next()
        if let basic = Self.basicType(tag) {
            try print(basic)
            return
        }
        try pushDepth()
        defer { popDepth() }
        switch tag {
        case UInt8(ascii: "R"), UInt8(ascii: "Q"):
            try print("&")
            if cursor.eat(UInt8(ascii: "L")) {
                let lifetime = try cursor.base62()
                if lifetime != 0 {
                    try printLifetime(index: lifetime)
                    try print(" ")
                }
            }
            if tag == UInt8(ascii: "Q") { try print("mut ") }
            try printType()
        case UInt8(ascii: "P"):
            try print("*const ")
            try printType()
        case UInt8(ascii: "O"):
            try print("*mut ")
            try printType()
        case UInt8(ascii: "A"), UInt8(ascii: "S"):
            try print("[")
            try printType()
            if tag == UInt8(ascii: "A") {
                try print("; ")
                try printConst(inValue: true)
            }
            try print("]")
        case UInt8(ascii: "T"):
            try print("(")
            let count = try printList(separator: ", ") { (printer: inout RustV0Printer) throws(RustV0Error) in
                try printer.printType()
            }
            if count == 1 { try print(",") }
            try print(")")
        case UInt8(ascii: "F"):
            try inBinder { (printer: inout RustV0Printer) throws(RustV0Error) in
                try printer.printFunctionSignature()
            }
        case UInt8(ascii: "D"):
            try print("dyn ")
            try inBinder { (printer: inout RustV0Printer) throws(RustV0Error) in
                try printer.printList(separator: " + ") { (printer: inout RustV0Printer) throws(RustV0Error) in
                    try printer.printDynTrait()
                }
            }
            guard cursor.eat(UInt8(ascii: "L")) else { throw .invalid }
            let lifetime = try cursor.base62()
            if lifetime != 0 {
                try print(" + ")
                try printLifetime(index: lifetime)
            }
        case UInt8(ascii: "B"):
            try followBackref { (printer: inout RustV0Printer) throws(RustV0Error) in
                try printer.printType()
            }
        default:
            // Any other tag starts a path naming a nominal type.
            cursor.position -= 1
            try printPath(inValue: false)
        }
    }

    /// `[<binder>] ["U"] ["K" <abi>] {<type>} "E" <type>`
    private mutating func printFunctionSignature() throws(RustV0Error) {
        let isUnsafe = cursor.eat(UInt8(ascii: "U"))
        var abi: ArraySlice<UInt8>?
        if cursor.eat(UInt8(ascii: "K")) {
            if cursor.eat(UInt8(ascii: "C")) {
                abi = ArraySlice("C".utf8)
            } else {
                let name = try cursor.identifier()
                guard !name.ascii.isEmpty, name.punycode.isEmpty else { throw .invalid }
                abi = name.ascii
            }
        }
        if isUnsafe { try print("unsafe ") }
        if let abi {
            // Mangling replaced `-` with `_` (e.g. `system-unwind`).
            try print("extern \"")
            try print(bytes: abi.map { $0 == UInt8(ascii: "_") ? UInt8(ascii: "-") : $0 })
            try print("\" ")
        }
        try print("fn(")
        try printList(separator: ", ") { (printer: inout RustV0Printer) throws(RustV0Error) in
            try printer.printType()
        }
        try print(")")
        if !cursor.eat(UInt8(ascii: "u")) {
            try print(" -> ")
            try printType()
        }
    }

    /// `<path> {"p" <undisambiguated-identifier> <type>}`
    private mutating func printDynTrait() throws(RustV0Error) {
        var open = try printPathMaybeOpenGenerics()
        while cursor.eat(UInt8(ascii: "p")) {
            try print(open ? ", " : "<")
            open = true
            try print(try cursor.identifier())
            try print(" = ")
            try printType()
        }
        if open { try print(">") }
    }

    static func basicType(_ tag: UInt8) -> String? {
        switch tag {
        case UInt8(ascii: "a"): "i8"
        case UInt8(ascii: "b"): "bool"
        case UInt8(ascii: "c"): "char"
        case UInt8(ascii: "d"): "f64"
        case UInt8(ascii: "e"): "str"
        case UInt8(ascii: "f"): "f32"
        case UInt8(ascii: "h"): "u8"
        case UInt8(ascii: "i"): "isize"
        case UInt8(ascii: "j"): "usize"
        case UInt8(ascii: "l"): "i32"
        case UInt8(ascii: "m"): "u32"
        case UInt8(ascii: "n"): "i128"
        case UInt8(ascii: "o"): "u128"
        case UInt8(ascii: "s"): "i16"
        case UInt8(ascii: "t"): "u16"
        case UInt8(ascii: "u"): "()"
        case UInt8(ascii: "v"): "..."
        case UInt8(ascii: "x"): "i64"
        case UInt8(ascii: "y"): "u64"
        case UInt8(ascii: "z"): "!"
        case UInt8(ascii: "p"): "_"
        default: nil
        }
    }

    // MARK: Constants

    private mutating func printConst(inValue: Bool) throws(RustV0Error) {
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

    // MARK: Lifetimes and binders

    private mutating func printLifetime(index: UInt64) throws(RustV0Error) {
        // Bound lifetimes are not tracked while validating.
        guard printing else { return }
        try print("'")
        if index == 0 {
            try print("_")
            return
        }
        guard index <= boundLifetimes else { throw .invalid }
        let depth = boundLifetimes - index
        if depth < 26 {
            try print(bytes: [UInt8(ascii: "a") + UInt8(depth)])
        } else {
            try print("_\(depth)")
        }
    }

    /// `[G <base-62-number>]` introducing `for<'a, ...>` around `body`.
    private mutating func inBinder(
        _ body: (inout RustV0Printer) throws(RustV0Error) -> Void
    ) throws(RustV0Error) {
        let count = try cursor.optionalBase62(tag: UInt8(ascii: "G"))
        guard printing else {
            try body(&self)
            return
        }
        // Each bound lifetime prints something, so this also bounds the loop.
        guard count <= UInt64(RustV0Demangler.maxOutputBytes) else { throw .outputTooLong }
        let outer = boundLifetimes
        if count > 0 {
            try print("for<")
            for i in 0..<count {
                if i > 0 { try print(", ") }
                boundLifetimes += 1
                try printLifetime(index: 1)
            }
            try print("> ")
        }
        try body(&self)
        boundLifetimes = outer
    }

    // MARK: Structure

    /// Elements until `E`, separated; returns how many.
    @discardableResult
    private mutating func printList(
        separator: String, _ element: (inout RustV0Printer) throws(RustV0Error) -> Void
    ) throws(RustV0Error) -> Int {
        var count = 0
        while !cursor.eat(UInt8(ascii: "E")) {
            if count > 0 { try print(separator) }
            try element(&self)
            count += 1
        }
        return count
    }

    /// `B <base-62-number>`: re-reads an earlier part of the symbol. Targets
    /// must lie strictly before the backref itself, so chains terminate.
    private mutating func followBackref(
        _ body: (inout RustV0Printer) throws(RustV0Error) -> Void
    ) throws(RustV0Error) {
        let tagPosition = cursor.position - 1
        let target = try cursor.base62()
        guard target < UInt64(tagPosition) else { throw .invalid }
        // Validation never follows backrefs; this keeps it linear.
        guard printing else { return }
        try pushDepth()
        defer { popDepth() }
        let resume = cursor.position
        cursor.position = Int(target)
        defer { cursor.position = resume }
        try body(&self)
    }

    private mutating func skipping(_ body: (inout RustV0Printer) throws(RustV0Error) -> Void) throws(RustV0Error) {
        var silent = RustV0Printer(bytes: [], printing: false)
        swap(&silent.cursor, &cursor)
        silent.depth = depth
        defer { swap(&silent.cursor, &cursor) }
        try body(&silent)
    }

    private mutating func pushDepth() throws(RustV0Error) {
        depth += 1
        guard depth <= RustV0Demangler.maxDepth else { throw .recursionLimit }
    }

    private mutating func popDepth() {
        depth -= 1
    }

    // MARK: Output

    private mutating func print(_ text: String) throws(RustV0Error) {
        try print(bytes: text.utf8)
    }

    private mutating func print(bytes: some Collection<UInt8>) throws(RustV0Error) {
        guard printing else { return }
        output.append(contentsOf: bytes)
        guard output.count <= RustV0Demangler.maxOutputBytes else { throw .outputTooLong }
    }

    private mutating func print(_ identifier: RustV0Identifier) throws(RustV0Error) {
        guard printing else { return }
        if identifier.punycode.isEmpty {
            try print(bytes: identifier.ascii)
        } else if let scalars = Punycode.decode(basic: identifier.ascii, encoded: identifier.punycode) {
            var text = ""
            text.unicodeScalars.append(contentsOf: scalars)
            try print(text)
        } else {
            // Undecodable: show the raw form, as rustc-demangle does.
            try print("punycode{")
            if !identifier.ascii.isEmpty {
                try print(bytes: identifier.ascii)
                try print("-")
            }
            try print(bytes: identifier.punycode)
            try print("}")
        }
    }
}

extension UInt8 {
    var isASCIIUppercase: Bool { self >= UInt8(ascii: "A") && self <= UInt8(ascii: "Z") }
}
