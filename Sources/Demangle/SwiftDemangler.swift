import CDemangle

/// Swift names through the demangler inside the Swift runtime already loaded
/// in this process: the simplified form Swift's own backtracer prints when the
/// runtime offers it, otherwise the full form of the public `swift_demangle`.
enum SwiftDemangler {
    /// The runtime demangler is recursive; very long names are refused so a
    /// hostile one cannot exhaust a small thread stack.
    static let maxInputBytes = 4096

    static func demangle(_ symbol: String) -> String? {
        guard symbol.utf8.count <= maxInputBytes, !symbol.utf8.contains(0) else { return nil }
        return symbol.withCString { name in
            let length = symbol.utf8.count
            let result = cdemangle_swift_simplified(name, length) ?? cdemangle_swift_full(name, length)
            guard let result else { return nil }
            defer { cdemangle_free(result) }
            let text = String(cString: result)
            // The runtime echoes names it cannot demangle.
            return text.isEmpty || text == symbol ? nil : text
        }
    }

    /// Whether names come out in the simplified form (`foo(_:)`) rather than
    /// the full one (`main.foo(Swift.Int) -> Swift.Int`).
    static var producesSimplifiedForm: Bool {
        let probe = "$sSi"
        guard let result = probe.withCString({ cdemangle_swift_simplified($0, 4) }) else { return false }
        cdemangle_free(result)
        return true
    }
}
