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
