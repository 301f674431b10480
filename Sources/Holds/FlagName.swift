import Paths

/// A flag the user names on the command line: `NAME`, or `MODULE:NAME` where
/// MODULE is a module's file name (`libfoo.so`) or full path.
public struct FlagName: Sendable, Hashable, CustomStringConvertible {
    public var module: String?
    /// The raw symbol name, as in the symbol table.
    public var symbol: String

    public init(module: String? = nil, symbol: String) {
        self.module = module
        self.symbol = symbol
    }

    /// Splits at the last `:`, since symbol names have none and paths may.
    public init(parsing text: String) throws(HoldFlagError) {
        guard let colon = text.lastIndex(of: ":") else {
            guard !text.isEmpty, !text.contains(where: \.isWhitespace) else { throw .invalidFlagName(text) }
            self.init(symbol: text)
            return
        }
        let module = String(text[..<colon])
        let symbol = String(text[text.index(after: colon)...])
        guard !module.isEmpty, !symbol.isEmpty, !symbol.contains(where: \.isWhitespace) else {
            throw .invalidFlagName(text)
        }
        self.init(module: module, symbol: symbol)
    }

    public var description: String { module.map { "\($0):\(symbol)" } ?? symbol }

    /// True when `path` is the module this name asks for (any module if none).
    func matches(modulePath path: String) -> Bool {
        guard let module else { return true }
        if module.contains("/") { return path == module }
        return Path.basename(path) == module
    }
}
