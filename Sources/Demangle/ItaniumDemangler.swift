import CDemangle

/// Itanium C++ names (`_Z...`) through libstdc++'s `__cxa_demangle`, the same
/// engine as `c++filt`; template arguments and clone suffixes are kept as it
/// prints them.
enum ItaniumDemangler {
    /// Longest name handed to libstdc++ (the shim gives it a stack of about
    /// 512 bytes per input byte, so this also bounds that stack).
    static let maxInputBytes = 16 * 1024

    static func demangle(_ symbol: String) -> String? {
        let length = symbol.utf8.count
        guard length <= maxInputBytes, !symbol.utf8.contains(0) else { return nil }
        guard let result = cdemangle_itanium(symbol, length) else { return nil }
        defer { cdemangle_free(result) }
        return String(cString: result)
    }
}
