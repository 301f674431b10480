/// What linkers append to a name: `@plt` stubs and symbol versions
/// (`@GLIBC_2.2.5`, `@@VERS_1`). No mangling scheme we handle uses `@`.
///
/// The one rule for where a name ends and its decoration begins: at the
/// first `@` after the name's first character, except in Swift's
/// `@__swiftmacro_` names, which are all name.
public enum LinkerDecoration {
    static func split(_ symbol: String) -> (name: Substring, decoration: Substring) {
        guard let at = symbol.firstIndex(of: "@"), at != symbol.startIndex,
              !symbol.hasPrefix("@__swiftmacro_") else {
            return (symbol[...], "")
        }
        return (symbol[..<at], symbol[at...])
    }

    /// The name without its symbol version, as users know it:
    /// `clock_nanosleep@@GLIBC_2.17` and `memcpy@GLIBC_2.2.5` lose theirs; a
    /// `@plt` stub keeps its suffix, which says what the code is.
    public static func strippingVersion(_ symbol: String) -> String {
        let (name, decoration) = split(symbol)
        return decoration.isEmpty || decoration.hasPrefix("@plt") ? symbol : String(name)
    }
}
