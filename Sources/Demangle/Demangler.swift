/// Turns mangled symbol names from backtraces into readable ones.
///
/// Safe to call from any thread; results are memoised in a bounded cache.
/// Input that is not mangled, or that fails to demangle, comes back unchanged.
public enum Demangler {
    /// Names longer than this are returned as they are and never cached.
    static let maxSymbolBytes = 16 * 1024

    static let cache = DemangleCache(capacity: 8192)

    /// The readable form of `symbol`, or `symbol` itself when it is not a
    /// mangled name we can decode.
    ///
    /// - C++: as `__cxa_demangle`/`c++filt` print it, `foo(int) [clone .cold]`.
    /// - Rust: like rustc-demangle's `{:#}`: no hashes or disambiguators.
    /// - Swift: the runtime's simplified form when available, else the full one.
    /// - Linker decorations such as `@plt` or `@@GLIBC_2.2.5` are kept.
    public static func demangle(_ symbol: String) -> String {
        // ELF names cannot hold NUL; one here means this is not a symbol name.
        guard !symbol.isEmpty, symbol.utf8.count <= maxSymbolBytes, !symbol.utf8.contains(0) else {
            return symbol
        }
        if let cached = cache.value(for: symbol) { return cached }
        let readable = demangleUncached(symbol)
        cache.store(readable, for: symbol)
        return readable
    }

    /// The language whose mangling `symbol` uses; `.c` for plain names.
    public static func language(of symbol: String) -> SymbolLanguage {
        ManglingScheme.of(String(LinkerDecoration.split(symbol).name)).language
    }

    static func demangleUncached(_ symbol: String) -> String {
        guard !symbol.utf8.contains(0) else { return symbol }
        let (name, decoration) = LinkerDecoration.split(symbol)
        guard let readable = demangleName(String(name)) else { return symbol }
        return readable + decoration
    }

    private static func demangleName(_ name: String) -> String? {
        switch ManglingScheme.of(name) {
        case .rustV0:
            return RustV0Demangler.demangle(name)
        case .rustLegacy:
            return RustLegacyDemangler.demangle(name)
        case .itanium:
            // libstdc++ formats clone suffixes itself, as c++filt shows them.
            return ItaniumDemangler.demangle(name) ?? CloneSuffix.demangle(name, with: ItaniumDemangler.demangle)
        case .swift:
            // The runtime knows Swift's own dotted pieces (`.resume.0`, `.23TQ0_`)
            // and, like `swift demangle --simplified`, leaves them out.
            return SwiftDemangler.demangle(name) ?? CloneSuffix.demangle(name, with: SwiftDemangler.demangle)
        case .none:
            return nil
        }
    }
}

/// What linkers append to a name: `@plt` stubs and symbol versions
/// (`@GLIBC_2.2.5`, `@@VERS_1`). No mangling scheme we handle uses `@`.
enum LinkerDecoration {
    static func split(_ symbol: String) -> (name: Substring, decoration: Substring) {
        guard let at = symbol.firstIndex(of: "@"), at != symbol.startIndex,
              !symbol.hasPrefix("@__swiftmacro_") else {
            return (symbol[...], "")
        }
        return (symbol[..<at], symbol[at...])
    }
}

/// GCC/LLVM clone suffixes (`.cold`, `.isra.0`, `.constprop.0`, `.part.1`).
enum CloneSuffix {
    /// Demangles the part of `name` before its first `.` and appends each
    /// clone the way c++filt does: `foo(int) [clone .isra.0] [clone .cold]`.
    /// Nil when there is no well-formed clone suffix or the base fails.
    static func demangle(_ name: String, with demangler: (String) -> String?) -> String? {
        guard let dot = name.firstIndex(of: "."), dot != name.startIndex,
              let clones = clones(in: name[dot...]),
              let readable = demangler(String(name[..<dot])) else { return nil }
        return ([readable] + clones.map { "[clone \($0)]" }).joined(separator: " ")
    }

    /// Splits `.isra.0.cold` into `.isra.0` and `.cold`: each clone is one
    /// `.word` followed by any purely numeric `.N` groups.
    static func clones(in suffix: Substring) -> [Substring]? {
        var clones: [Substring] = []
        var rest = suffix
        while let first = group(at: rest) {
            var end = first.endIndex
            while let number = group(at: rest[end...]), number.dropFirst().allSatisfy(\.isNumber) {
                end = number.endIndex
            }
            clones.append(rest[..<end])
            rest = rest[end...]
        }
        return rest.isEmpty && !clones.isEmpty ? clones : nil
    }

    /// `.` and a run of ASCII letters, digits or `_` at the start of `text`.
    private static func group(at text: Substring) -> Substring? {
        guard text.first == "." else { return nil }
        let body = text.dropFirst().prefix { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
        return body.isEmpty ? nil : text[..<body.endIndex]
    }
}
