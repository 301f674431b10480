import CDemangle

/// Swift names through the demangler inside the Swift runtime already loaded
/// in this process: the simplified form Swift's own backtracer prints when the
/// runtime offers it, otherwise the full form of the public `swift_demangle`.
enum SwiftDemangler {
    /// Longest name handed to the runtime (the shim gives it a stack of about
    /// 2 KiB per input byte, so this also bounds that stack).
    static let maxInputBytes = 8 * 1024

    static func demangle(_ symbol: String) -> String? {
        let length = symbol.utf8.count
        guard length <= maxInputBytes, !symbol.utf8.contains(0) else { return nil }
        let result = cdemangle_swift_simplified(symbol, length) ?? cdemangle_swift_full(symbol, length)
        guard let result else { return nil }
        defer { cdemangle_free(result) }
        let text = String(cString: result)
        // The runtime echoes names it cannot demangle.
        return text.isEmpty || text == symbol ? nil : text
    }

    /// Whether names come out in the simplified form (`foo(_:)`) rather than
    /// the full one (`main.foo(Swift.Int) -> Swift.Int`).
    static var producesSimplifiedForm: Bool {
        cdemangle_swift_has_simplified() != 0
    }
}
