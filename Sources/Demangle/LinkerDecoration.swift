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
