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

    /// Works on UTF-8 bytes: a process with thousands of threads has
    /// thousands of lines, and Character-wise splitting cost milliseconds.
    public static func parse(_ text: String) -> [MemoryMapping] {
        var text = text
        return text.withUTF8 { bytes in
            var result: [MemoryMapping] = []
            var lineStart = 0
            while lineStart < bytes.count {
                var lineEnd = lineStart
                while lineEnd < bytes.count, bytes[lineEnd] != 0x0A { lineEnd += 1 }
                if let mapping = parseLine(UnsafeBufferPointer(rebasing: bytes[lineStart..<lineEnd])) {
                    result.append(mapping)
                }
                lineStart = lineEnd + 1
            }
            return result
        }
    }

    /// `start-end perms offset dev inode [path]`; the path may contain spaces.
    static func parseLine(_ line: UnsafeBufferPointer<UInt8>) -> MemoryMapping? {
        var index = 0
        func skipSpaces() { while index < line.count, line[index] == 0x20 { index += 1 } }
        /// The next space-delimited word, as a range of `line`.
        func nextWord() -> Range<Int>? {
            skipSpaces()
            guard index < line.count else { return nil }
            let start = index
            while index < line.count, line[index] != 0x20 { index += 1 }
            return start..<index
        }
        func number(_ range: Range<Int>, radix: UInt64) -> UInt64? {
            guard !range.isEmpty else { return nil }
            var value: UInt64 = 0
            for position in range {
                guard let digit = hexDigit(line[position]), digit < radix else { return nil }
                let (shifted, overflow) = value.multipliedReportingOverflow(by: radix)
                guard !overflow else { return nil }
                value = shifted + digit
            }
            return value
        }
        guard let range = nextWord(), let perms = nextWord(), let offset = nextWord(),
              let device = nextWord(), let inode = nextWord(),
              let dash = range.first(where: { line[$0] == 0x2D }),
              let start = number(range.lowerBound..<dash, radix: 16),
              let end = number((dash + 1)..<range.upperBound, radix: 16),
              let fileOffset = number(offset, radix: 16), let inodeNumber = number(inode, radix: 10),
              perms.count >= 4
        else { return nil }
        skipSpaces()
        let p = perms.lowerBound
        func text(_ range: Range<Int>) -> String { String(decoding: UnsafeBufferPointer(rebasing: line[range]), as: UTF8.self) }
        return MemoryMapping(
            start: start, end: end, isReadable: line[p] == UInt8(ascii: "r"), isWritable: line[p + 1] == UInt8(ascii: "w"),
            isExecutable: line[p + 2] == UInt8(ascii: "x"), isPrivate: line[p + 3] == UInt8(ascii: "p"),
            fileOffset: fileOffset, device: text(device), inode: inodeNumber, path: text(index..<line.count))
    }
}
