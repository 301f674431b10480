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
