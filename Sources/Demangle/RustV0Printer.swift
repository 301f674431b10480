/// The recursive walk over the v0 grammar, printing as it goes.
struct RustV0Printer {
    var cursor: RustV0Cursor
    let printing: Bool
    var output: [UInt8] = []
    var depth = 0
    /// Lifetimes bound by enclosing `for<...>` binders.
    var boundLifetimes: UInt64 = 0

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

    mutating func printType() throws(RustV0Error) {
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
    mutating func printList(
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
    mutating func followBackref(
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

    mutating func pushDepth() throws(RustV0Error) {
        depth += 1
        guard depth <= RustV0Demangler.maxDepth else { throw .recursionLimit }
    }

    mutating func popDepth() {
        depth -= 1
    }

    // MARK: Output

    mutating func print(_ text: String) throws(RustV0Error) {
        try print(bytes: text.utf8)
    }

    mutating func print(bytes: some Collection<UInt8>) throws(RustV0Error) {
        guard printing else { return }
        output.append(contentsOf: bytes)
        guard output.count <= RustV0Demangler.maxOutputBytes else { throw .outputTooLong }
    }

    mutating func print(_ identifier: RustV0Identifier) throws(RustV0Error) {
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
