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
    /// The `start-end` of each line, skipping lines that do not start so.
    public static func ranges(_ bytes: [UInt8]) -> [Range<UInt64>] {
        var result: [Range<UInt64>] = []
        var index = 0
        while index < bytes.count {
            var start: UInt64 = 0
            var end: UInt64 = 0
            var field = 0  // 0: start, 1: end, 2: the rest of the line
            var digits = 0
            var valid = true
            while index < bytes.count, bytes[index] != 0x0A {
                if field < 2 {
                    let byte = bytes[index]
                    if let digit = hexDigit(byte), digits < 16 {
                        if field == 0 { start = start << 4 | digit } else { end = end << 4 | digit }
                        digits += 1
                    } else if field == 0, byte == 0x2D, digits > 0 {
                        field = 1
                        digits = 0
                    } else {
                        valid = valid && field == 1 && digits > 0 && byte == 0x20
                        field = 2
                    }
                }
                index += 1
            }
            index += 1
            if valid, field == 2, start < end { result.append(start..<end) }
        }
        return result
    }

    private static func hexDigit(_ byte: UInt8) -> UInt64? {
        switch byte {
        case 0x30...0x39: UInt64(byte - 0x30)
        case 0x61...0x66: UInt64(byte - 0x61 + 10)
        case 0x41...0x46: UInt64(byte - 0x41 + 10)
        default: nil
        }
    }

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
