import ProcFS
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A frame's source file on this machine, and its lines, found as gdb finds
/// it: DWARF's path, rewritten by the first `--source-map OLD=NEW` that
/// matches (gdb's `set substitute-path`: then only as rewritten), then
/// inside the process's root (a container's files), then under each
/// `--source-dir` (gdb's `directory`) by ever shorter suffixes of the path,
/// down to its base name. Files are read once and kept.
public final class SourceFiles: Sendable {
    public struct Mapping: Equatable, Sendable {
        public var old: String
        public var new: String

        public init(old: String, new: String) {
            self.old = old
            self.new = new
        }

        /// `OLD=NEW`, as `--source-map` takes it; nil without both sides.
        public init?(argument: String) {
            guard let equals = argument.firstIndex(of: "="), equals != argument.startIndex else { return nil }
            old = String(argument[..<equals])
            new = String(argument[argument.index(after: equals)...])
            guard !new.isEmpty else { return nil }
        }

        /// The path with OLD replaced by NEW when OLD is a whole leading part of it.
        func apply(to path: String) -> String? {
            let old = self.old.count > 1 && self.old.hasSuffix("/") ? String(self.old.dropLast()) : self.old
            guard path.hasPrefix(old) else { return nil }
            let rest = path.dropFirst(old.count)
            guard rest.isEmpty || rest.hasPrefix("/") || old.hasSuffix("/") else { return nil }
            return new + rest
        }
    }

    public enum Lookup: Sendable {
        case found(path: String, lines: [String])
        /// Every path looked at, in order.
        case notFound(tried: [String])
    }

    /// Larger files are not source a user reads in a pane.
    public static let sizeLimit = 16 << 20

    let directories: [String]
    let mappings: [Mapping]
    /// The process's `/proc/PID/root`, when it differs from ours.
    let root: String?
    private let cache = Mutex<[String: Lookup]>([:])

    public init(directories: [String] = [], mappings: [Mapping] = [], root: String? = nil) {
        self.directories = directories
        self.mappings = mappings
        self.root = root
    }

    /// The same search for another process's files (its root).
    public func forRoot(_ root: String?) -> SourceFiles {
        root == self.root ? self : SourceFiles(directories: directories, mappings: mappings, root: root)
    }

    /// The same search for `pid`'s files: inside /proc/PID/root when its `/` is not ours.
    public func forProcess(_ pid: Int32, procfs: ProcFS = ProcFS()) -> SourceFiles {
        forRoot(procfs.rootDirectory(pid).flatMap { $0 == "/" ? nil : "/proc/\(pid)/root" })
    }

    public func lookup(_ path: String) -> Lookup {
        if let known = cache.withLock({ $0[path] }) { return known }
        var tried: [String] = []
        var result = Lookup.notFound(tried: [])
        for candidate in candidates(for: path) where !tried.contains(candidate) {
            tried.append(candidate)
            if let lines = Self.readLines(candidate) {
                result = .found(path: candidate, lines: lines)
                break
            }
        }
        if case .notFound = result { result = .notFound(tried: tried) }
        let answer = result
        cache.withLock { $0[path] = answer }
        return answer
    }

    /// Line `number` (from 1) of the file, nil when it is not found or has no such line.
    public func line(_ number: Int, of path: String) -> String? {
        guard case .found(_, let lines) = lookup(path), number >= 1, number <= lines.count else { return nil }
        return lines[number - 1]
    }

    func candidates(for written: String) -> [String] {
        // As gdb does: a path a mapping rewrites is looked for only as rewritten.
        let path = mappings.lazy.compactMap { $0.apply(to: written) }.first ?? written
        var list = [path]
        if let root, path.hasPrefix("/") { list.append(root + path) }
        let parts = path.split(separator: "/").map(String.init)
        for directory in directories {
            for start in parts.indices {
                list.append(directory + "/" + parts[start...].joined(separator: "/"))
            }
        }
        return list
    }

    /// A regular file's lines without their line ends; nil when it cannot be
    /// read, is not a regular file, is too large or holds NUL bytes (not text).
    static func readLines(_ path: String) -> [String]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, Int(info.st_size) <= sizeLimit else { return nil }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
        var filled = 0
        while filled < bytes.count {
            let got = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + filled, $0.count - filled) }
            if got < 0, errno == EINTR { continue }
            guard got > 0 else { break }
            filled += got
        }
        bytes.removeSubrange(filled...)
        guard !bytes.contains(0) else { return nil }
        // Split as bytes: "\r\n" is one Character to String.
        var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map { line in
            String(decoding: line.last == 0x0D ? line.dropLast() : line, as: UTF8.self)
        }
        if lines.last == "" { lines.removeLast() }
        return lines
    }
}
