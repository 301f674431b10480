#if canImport(Glibc)
import Glibc
#endif

/// Summing a cached section reads every page of it: 12 MB for glibc's
/// debug file on every `dump`, the largest part of a 1-thread run. So a
/// check is noted in a small file beside the section (`NAME.checked`): the
/// file's device, inode, size, mtime and ctime, and the CRC found. A later
/// run that finds the file as noted serves it unsummed; any write to the
/// file since (a bit flipped, a truncation, a replacement) changes its
/// ctime or inode, so the note no longer matches and the file is summed
/// again. Only a file that settled `settledAfterSeconds` before the check is
/// noted: a write in the same clock tick as the last change could leave the
/// ctime where it was.
extension InflatedSectionCache {
    struct CheckNote: Equatable {
        var identity: FileIdentity
        var crc: UInt32

        static let magic: [UInt8] = Array("LWPCHKD1".utf8)
        static let length = 8 + 8 * 8

        var bytes: [UInt8] {
            var bytes = Self.magic
            for word in identity.words + [UInt64(crc)] {
                withUnsafeBytes(of: word.littleEndian) { bytes.append(contentsOf: $0) }
            }
            return bytes
        }

        init(identity: FileIdentity, crc: UInt32) {
            self.identity = identity
            self.crc = crc
        }

        init?(_ bytes: [UInt8]) {
            guard bytes.count == Self.length, bytes.prefix(8).elementsEqual(Self.magic) else { return nil }
            let words = (0..<8).map { index in
                bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 8 + 8 * index, as: UInt64.self).littleEndian }
            }
            guard let crc = UInt32(exactly: words[7]) else { return nil }
            self.init(identity: FileIdentity(words: Array(words[0..<7])), crc: crc)
        }
    }

    static func notePath(_ path: String) -> String { path + ".checked" }

    /// Whether the mapped cache file's content sums to `crc`: by its note
    /// when the file is as noted, else by summing it (and noting a settled
    /// file that passed).
    func contentMatches(_ file: MappedFile, path: String, crc: UInt32) -> Bool {
        guard let identity = file.identity, let directory else { return Self.crc32Releasing(file) == crc }
        let expected = CheckNote(identity: identity, crc: crc)
        if Self.readNote(Self.notePath(path)) == expected { return true }
        guard Self.crc32Releasing(file) == crc else { return false }
        if identity.secondsSinceChange() >= settledAfterSeconds {
            expected.bytes.withUnsafeBytes { _ = Self.writeReplacing(Self.notePath(path), in: directory, [$0]) }
        }
        return true
    }

    static func readNote(_ path: String) -> CheckNote? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        // One byte more than a note: a longer file is not one.
        var bytes = [UInt8](repeating: 0, count: CheckNote.length + 1)
        let count = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
        guard count == CheckNote.length else { return nil }
        return CheckNote(Array(bytes.prefix(count)))
    }
}
