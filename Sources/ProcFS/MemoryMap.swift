/// One line of /proc/PID/maps.
public struct MemoryMapping: Equatable, Sendable {
    public var start: UInt64
    public var end: UInt64
    public var isReadable: Bool
    public var isWritable: Bool
    public var isExecutable: Bool
    public var isPrivate: Bool
    public var fileOffset: UInt64
    public var device: String
    public var inode: UInt64
    /// The path, "[stack]"-style pseudo name, or empty for anonymous memory.
    /// A path of a file unlinked since it was mapped ends in " (deleted)".
    public var path: String

    public var isDeleted: Bool { path.hasSuffix(" (deleted)") }
    public var isFileBacked: Bool { inode != 0 && path.hasPrefix("/") }

    public func contains(_ address: UInt64) -> Bool { address >= start && address < end }
}

public enum MemoryMapParser {
    public static func parse(_ text: String) -> [MemoryMapping] {
        text.split(separator: "\n").compactMap(parseLine)
    }

    static func parseLine(_ line: Substring) -> MemoryMapping? {
        // address perms offset dev inode [path]; the path may contain spaces.
        var rest = line[...]
        func nextWord() -> Substring? {
            while rest.first == " " { rest.removeFirst() }
            guard !rest.isEmpty else { return nil }
            let end = rest.firstIndex(of: " ") ?? rest.endIndex
            defer { rest = rest[end...] }
            return rest[..<end]
        }
        guard let range = nextWord(), let perms = nextWord(), let offset = nextWord(),
              let device = nextWord(), let inode = nextWord(),
              let dash = range.firstIndex(of: "-"),
              let start = UInt64(range[..<dash], radix: 16),
              let end = UInt64(range[range.index(after: dash)...], radix: 16),
              let fileOffset = UInt64(offset, radix: 16), let inodeNumber = UInt64(inode),
              perms.count >= 4
        else { return nil }
        while rest.first == " " { rest.removeFirst() }
        let p = Array(perms)
        return MemoryMapping(
            start: start, end: end, isReadable: p[0] == "r", isWritable: p[1] == "w",
            isExecutable: p[2] == "x", isPrivate: p[3] == "p", fileOffset: fileOffset,
            device: String(device), inode: inodeNumber, path: String(rest))
    }
}
