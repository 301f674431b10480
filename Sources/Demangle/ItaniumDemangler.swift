import CDemangle

/// Itanium C++ names (`_Z...`) through libstdc++'s `__cxa_demangle`, the same
/// engine as `c++filt`; template arguments and clone suffixes are kept as it
/// prints them.
enum ItaniumDemangler {
    /// Longer names are refused: `__cxa_demangle` sizes stack arrays by the
    /// input length, and we may run on small thread stacks.
    static let maxInputBytes = 4096

    static func demangle(_ symbol: String) -> String? {
        guard symbol.utf8.count <= maxInputBytes, !symbol.utf8.contains(0) else { return nil }
        guard let result = cdemangle_itanium(symbol) else { return nil }
        defer { cdemangle_free(result) }
        return String(cString: result)
    }
}
