/// Why a location could not be read or placed; each says what to do instead.
public enum PointLocationError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    /// `*…` that is not a hex address.
    case malformedAddress(String)
    /// `FILE:0` and the like.
    case malformedLine(String)
    /// `:read`, `libc:`: one side of the colon is empty.
    case missingPart(String)
    /// /proc/PID/maps could not be read.
    case processUnreadable(pid: Int32)
    /// MODULE matches no mapped module; `loaded` are the basenames that are.
    case moduleNotFound(String, loaded: [String])
    /// No function of that name; `closeNames` contain the text (any case).
    case functionNotFound(String, module: String?, closeNames: [String])
    /// Several addresses for the location (as written, module included):
    /// `candidates` as `module:name at 0x…` (at most 10) of `total`.
    case ambiguousFunction(String, candidates: [String], total: Int)
    /// FILE names no file with code in any line table; `closeNames` are files whose name contains it.
    case fileNotFound(String, closeNames: [String])
    /// FILE matches several files, or one file in several modules: `module: path` each.
    case ambiguousFile(String, candidates: [String])
    /// The file has no code at that line or after it.
    case noCodeAtOrAfterLine(file: String, line: Int)
    /// `*0x…` outside every executable mapping.
    case addressNotExecutable(UInt64)

    public var description: String {
        switch self {
        case .empty:
            return "no location given: write FUNCTION, MODULE:FUNCTION, FILE:LINE or *0xADDRESS"
        case .malformedAddress(let text):
            return "'\(text)' is not an address: write it in hex after a star, as *0x401136"
        case .malformedLine(let text):
            return "'\(text)' has no usable line number: lines count from 1, as main.c:42"
        case .missingPart(let text):
            return "'\(text)' has an empty side of its colon: write MODULE:FUNCTION or FILE:LINE"
        case .processUnreadable(let pid):
            return "cannot read the mappings of process \(pid): check that it still runs and that you may trace it"
        case .moduleNotFound(let module, let loaded):
            return "no module '\(module)' is mapped in the process: use one of \(Self.list(loaded, limit: 12)) (basename, with or without its version)"
        case .functionNotFound(let name, let module, let close):
            let place = module.map { "in '\($0)'" } ?? "in any loaded module"
            return close.isEmpty
                ? "no function '\(name)' \(place): check the spelling, or write FILE:LINE or *0xADDRESS"
                : "no function '\(name)' \(place): did you mean \(Self.list(close, limit: 5))?"
        case .ambiguousFunction(let name, let candidates, let total):
            let more = total > candidates.count ? " and \(total - candidates.count) more" : ""
            return "'\(name)' is at \(total) addresses (\(candidates.joined(separator: ", "))\(more)): add MODULE: or the parameter list to choose one"
        case .fileNotFound(let file, let close):
            return close.isEmpty
                ? "no source file '\(file)' has code in the line tables of the loaded modules: check the name, and that the module has debug information (-g or a debug file)"
                : "no source file '\(file)' has code in the loaded modules: did you mean \(Self.list(close, limit: 5))?"
        case .ambiguousFile(let file, let candidates):
            return "'\(file)' matches \(candidates.count) files (\(Self.list(candidates, limit: 10))): give more of its path to choose one"
        case .noCodeAtOrAfterLine(let file, let line):
            return "'\(file)' has no code at line \(line) or after it: pick a line inside a function"
        case .addressNotExecutable(let address):
            return "0x\(String(address, radix: 16)) is not in an executable mapping of the process: give the address of an instruction"
        }
    }

    private static func list(_ items: [String], limit: Int) -> String {
        let shown = items.prefix(limit).joined(separator: ", ")
        return items.count > limit ? shown + " and \(items.count - limit) more" : shown
    }
}

extension PointLocationError {
    /// The name is not in the image (yet): a library loaded later, or
    /// another exec, may bring it.
    public var isNotFound: Bool {
        switch self {
        case .moduleNotFound, .functionNotFound, .fileNotFound, .addressNotExecutable: true
        default: false
        }
    }
}
