#if canImport(Glibc)
import Glibc
#endif

/// Finds the separate debug file of an ELF file the way gdb does.
///
/// Order: `ROOT/.build-id/xx/rest.debug` (checked to carry the same
/// build-id), then the .gnu_debuglink name in the file's directory, in
/// `DIR/.debug/`, and in `ROOT/DIR/` (each checked against the link's CRC32).
/// `ROOT` is `debugRoot`, `/usr/lib/debug` unless a test injects another.
public struct DebugFileLocator: Sendable {
    public enum Method: Sendable, Equatable {
        case buildID
        case debugLink
    }

    public struct Found: Sendable {
        public let path: String
        public let file: ELFFile
        public let method: Method
    }

    public var debugRoot: String

    public init(debugRoot: String = "/usr/lib/debug") {
        self.debugRoot = debugRoot
    }

    /// The verified debug file for `file` (opened from `path`), or nil.
    public func locate(for file: ELFFile, at path: String) -> Found? {
        if let id = file.buildID, let candidate = buildIDPath(for: id),
           let debug = try? ELFFile.open(path: candidate), debug.buildID == id {
            return Found(path: candidate, file: debug, method: .buildID)
        }
        guard let link = file.debugLink else { return nil }
        let selfPath = canonicalPath(path)
        for candidate in debugLinkCandidates(name: link.name, objectPath: path) {
            // A link naming the object itself would "match" nothing useful.
            if let selfPath, canonicalPath(candidate) == selfPath { continue }
            guard let debug = try? ELFFile.open(path: candidate), gnuDebugLinkCRC(debug.bytes) == link.crc else { continue }
            return Found(path: candidate, file: debug, method: .debugLink)
        }
        return nil
    }

    /// `ROOT/.build-id/xx/rest.debug`; nil for an id too short to split.
    public func buildIDPath(for buildID: [UInt8]) -> String? {
        guard buildID.count >= 2 else { return nil }
        let hex = hexString(buildID)
        return "\(debugRoot)/.build-id/\(hex.prefix(2))/\(hex.dropFirst(2)).debug"
    }

    /// Where gdb looks for a debuglink `name`, for the object at `objectPath`:
    /// beside it, in `.debug/` beside it, and under the debug root mirroring
    /// its directory. Both the given and the symlink-resolved directory are
    /// tried (e.g. /lib vs /usr/lib on merged-/usr systems).
    public func debugLinkCandidates(name: String, objectPath: String) -> [String] {
        var directories = [directory(of: objectPath)]
        if let real = canonicalPath(objectPath), !directories.contains(directory(of: real)) {
            directories.append(directory(of: real))
        }
        var result: [String] = []
        for dir in directories {
            for candidate in ["\(dir)/\(name)", "\(dir)/.debug/\(name)", "\(debugRoot)\(dir.hasPrefix("/") ? "" : "/")\(dir)/\(name)"]
            where !result.contains(candidate) {
                result.append(candidate)
            }
        }
        return result
    }

    private func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let dir = String(path[..<slash])
        return dir.isEmpty ? "/" : dir
    }

    private func canonicalPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
