/// The source language a symbol name's mangling points to.
public enum SymbolLanguage: String, Sendable, Hashable, CaseIterable {
    /// Itanium C++ ABI (`_Z...`).
    case cxx
    /// Rust, legacy (`_ZN...17h<hash>E`) or v0 (`_R...`).
    case rust
    /// Swift (`$s`, `_$s`, `$S`, `_T0`, `$e`...).
    case swift
    /// Anything unmangled: C, assembly, or a scheme we do not recognise.
    case c
}

/// The mangling scheme of a name, finer than `SymbolLanguage` because the
/// two Rust schemes need different demanglers.
enum ManglingScheme: Hashable {
    case itanium
    case rustLegacy
    case rustV0
    case swift
    case none

    static func of(_ name: String) -> ManglingScheme {
        if name.hasPrefix("_R") || name.hasPrefix("__R") {
            let tagIndex = name.hasPrefix("_R") ? 2 : 3
            let tag = name.utf8.dropFirst(tagIndex).first
            return tag.map(\.isASCIIUppercase) == true ? .rustV0 : .none
        }
        if name.hasPrefix("_Z") {
            if name.hasPrefix("_ZN"), RustLegacyDemangler.isLegacyRust(name) {
                return .rustLegacy
            }
            return .itanium
        }
        for prefix in swiftPrefixes where name.hasPrefix(prefix) {
            return name.utf8.count > prefix.utf8.count ? .swift : .none
        }
        return .none
    }

    /// Current (`$s`), Swift 5 pre-ABI (`$S`), embedded (`$e`) and Swift 4
    /// (`_T0`) manglings, with and without the platform's extra underscore.
    private static let swiftPrefixes = ["$s", "_$s", "$S", "_$S", "$e", "_$e", "_T0", "@__swiftmacro_"]

    var language: SymbolLanguage {
        switch self {
        case .itanium: .cxx
        case .rustLegacy, .rustV0: .rust
        case .swift: .swift
        case .none: .c
        }
    }
}
