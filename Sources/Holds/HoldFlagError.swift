/// Why a flag the user named could not be used, as one-line messages that say
/// what to do next.
public enum HoldFlagError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `--flag` text that is not NAME or MODULE:NAME.
    case invalidFlagName(String)
    /// No loaded module's path or file name is MODULE.
    case moduleNotLoaded(module: String, loaded: [String])
    /// No module (or not the named one) has a data symbol NAME.
    case symbolNotFound(FlagName)
    /// NAME exists in several modules (or MODULE matched several files).
    case ambiguous(FlagName, candidates: [String])
    /// The symbol is an object, but not one integer the size of a flag.
    case unsupportedSize(FlagName, size: UInt64)

    public var description: String {
        switch self {
        case .invalidFlagName(let text):
            return "'\(text)' is not a flag name; write NAME or MODULE:NAME (e.g. libfoo.so:ready)"
        case .moduleNotLoaded(let module, let loaded):
            return "no module '\(module)' in the process; loaded: \(loaded.joined(separator: ", "))"
        case .symbolNotFound(let name):
            let scope = name.module.map { "'\($0)'" } ?? "any module"
            return "no data symbol '\(name.symbol)' in \(scope); check the spelling (static variables need a .symtab or debug file)"
        case .ambiguous(let name, let candidates):
            return "'\(name)' matches \(candidates.count) symbols, name one as MODULE:NAME: \(candidates.joined(separator: ", "))"
        case .unsupportedSize(let name, let size):
            return "'\(name)' is \(size) bytes; a flag must be a 1, 2, 4 or 8-byte integer"
        }
    }
}
