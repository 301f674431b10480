import Foundation
import Synchronization
import Testing
@testable import ELF

/// The disk cache of inflated sections: what it serves, and what it must
/// never serve (another section's bytes, a torn or corrupt file).
@Suite struct InflatedSectionCacheTests {
    let content: [UInt8] = (0..<(200 << 10)).map { UInt8(truncatingIfNeeded: $0 &* 2654435761 >> 13) }
    let compressed: [UInt8] = Array("pretend this is zlib".utf8)

    func directory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lwpscope-cache-\(UUID().uuidString)").path
        return path
    }

    func key(_ compressed: [UInt8], section: String = ".debug_info") -> InflatedSectionCache.Key {
        compressed.withUnsafeBytes { InflatedSectionCache.Key(buildID: [0xab, 0x01], section: section, compressed: $0) }
    }

    func store(_ cache: InflatedSectionCache, _ key: InflatedSectionCache.Key) {
        content.withUnsafeBytes { cache.store(key, $0) }
    }

    func onlyFile(_ path: String) throws -> String {
        let names = try FileManager.default.contentsOfDirectory(atPath: path).filter { !$0.hasPrefix(".tmp-") && !$0.hasSuffix(".checked") }
        try #require(names.count == 1, "\(names)")
        return path + "/" + names[0]
    }

    @Test func whatIsStoredIsServedByTheSameKeyOnly() throws {
        let path = try directory()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let cache = InflatedSectionCache(directory: path + "/made/on/demand")
        #expect(cache.load(key(compressed), length: content.count) == nil)
        store(cache, key(compressed))
        let loaded = try #require(cache.load(key(compressed), length: content.count))
        #expect(Array(loaded.bytes) == content)
        // A rebuilt file's section: other compressed bytes, another name, another build-id.
        #expect(cache.load(key(compressed + [0]), length: content.count) == nil)
        #expect(cache.load(key(compressed, section: ".debug_line"), length: content.count) == nil)
        let otherBuild = compressed.withUnsafeBytes { InflatedSectionCache.Key(buildID: [0xab, 0x02], section: ".debug_info", compressed: $0) }
        #expect(cache.load(otherBuild, length: content.count) == nil)
        #expect(cache.load(key(compressed), length: content.count - 1) == nil)
        let file = try onlyFile(path + "/made/on/demand")
        var info = stat()
        #expect(stat(path + "/made/on/demand", &info) == 0 && info.st_mode & 0o777 == 0o700)
        #expect(URL(fileURLWithPath: file).lastPathComponent
                == "ab01--debug_info-\(compressed.count)-\(String(key(compressed).compressedCRC, radix: 16))")
    }

    @Test func aCorruptOrTruncatedFileIsPassedOverAndWrittenAgain() throws {
        let path = try directory()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let cache = InflatedSectionCache(directory: path)
        store(cache, key(compressed))
        let file = try onlyFile(path)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: file))
        bytes[bytes.count - 7] ^= 0x40
        try bytes.write(to: URL(fileURLWithPath: file))
        #expect(cache.load(key(compressed), length: content.count) == nil, "a flipped bit in the content")
        store(cache, key(compressed))
        #expect(cache.load(key(compressed), length: content.count).map { Array($0.bytes) } == content)

        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: file))
        #expect(cache.load(key(compressed), length: content.count) == nil, "cut in half")
        try Data(count: 10).write(to: URL(fileURLWithPath: file))
        #expect(cache.load(key(compressed), length: content.count) == nil, "shorter than its header")
        try Data().write(to: URL(fileURLWithPath: file))
        #expect(cache.load(key(compressed), length: content.count) == nil, "empty")
        store(cache, key(compressed))
        #expect(cache.load(key(compressed), length: content.count).map { Array($0.bytes) } == content)
    }

    /// A settled file's check is noted and stands until the file changes;
    /// any write since (here a flipped bit, after the clock has moved on) is summed again.
    @Test func aCheckIsNotedForASettledFileAndAChangeUndoesIt() throws {
        let path = try directory()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let cache = InflatedSectionCache(directory: path, settledAfterSeconds: 0.02)
        store(cache, key(compressed))
        let file = try onlyFile(path)
        let note = InflatedSectionCache.notePath(file)
        #expect(cache.load(key(compressed), length: content.count) != nil)
        #expect(!FileManager.default.fileExists(atPath: note), "noted though written a moment ago")
        usleep(50_000)
        #expect(cache.load(key(compressed), length: content.count).map { Array($0.bytes) } == content)
        let noted = try #require(InflatedSectionCache.readNote(note), "a settled file's check was not noted")

        // The note is what is trusted: one forged for a damaged file's new state serves it unsummed.
        var bytes = try Data(contentsOf: URL(fileURLWithPath: file))
        bytes[bytes.count - 7] ^= 0x40
        try bytes.write(to: URL(fileURLWithPath: file))
        var status = stat()
        #expect(stat(file, &status) == 0)
        let forged = InflatedSectionCache.CheckNote(identity: FileIdentity(status), crc: noted.crc)
        #expect(forged.identity != noted.identity, "the write did not change the file's identity")
        #expect(cache.load(key(compressed), length: content.count) == nil, "a damaged file served by a stale note")
        try Data(forged.bytes).write(to: URL(fileURLWithPath: note))
        #expect(cache.load(key(compressed), length: content.count).map { Array($0.bytes) } != content)

        // A note cut short or of another length is no note.
        try Data(forged.bytes.prefix(20)).write(to: URL(fileURLWithPath: note))
        #expect(InflatedSectionCache.readNote(note) == nil)
        #expect(cache.load(key(compressed), length: content.count) == nil)
    }

    @Test func concurrentWritersAndReadersSeeAWholeFileOrNone() throws {
        let path = try directory()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let cache = InflatedSectionCache(directory: path)
        let wrong = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 16) { index in
            for _ in 0..<8 {
                if index % 2 == 0 { store(cache, key(compressed)) }
                if let file = cache.load(key(compressed), length: content.count), Array(file.bytes) != content {
                    wrong.withLock { $0 += 1 }
                }
            }
        }
        #expect(wrong.withLock { $0 } == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: path).filter { $0.hasPrefix(".tmp-") }.isEmpty)
        _ = try onlyFile(path)
    }

    @Test func smallSectionsAndNoDirectoryStoreNothing() throws {
        let path = try directory()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let cache = InflatedSectionCache(directory: path)
        let small = [UInt8](repeating: 7, count: 1000)
        small.withUnsafeBytes { cache.store(key(compressed), $0) }
        #expect(!FileManager.default.fileExists(atPath: path))
        InflatedSectionCache(directory: nil).store(key(compressed), UnsafeRawBufferPointer(start: nil, count: 0))
    }
}
