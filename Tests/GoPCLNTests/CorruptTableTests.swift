import ELF
import Foundation
import GoPCLN
import Testing
import TestSupport

/// Bad tables give nil or an error, never a trap: a truncated copy, a wrong
/// magic, and 2,000 copies of a real table with random bytes changed.
@Suite(.serialized) struct CorruptTableTests {
    /// The real table's bytes and, to look up, a spread of its functions' pcs.
    static func realTable() throws -> (bytes: [UInt8], textStart: UInt64, pcs: [UInt64]) {
        let directory = try makeTempDirectory("gopcln-corrupt")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = try #require(try GoPrograms.build("goprog.go", modes: [.stripped], into: directory)[.stripped])
        let elf = try ELFFile.open(path: path)
        let section = try #require(elf.section(named: ".gopclntab"))
        let bytes = [UInt8](try elf.data(of: section))
        let table = try GoPCLNTable(copying: bytes)
        let pcs = stride(from: 0, to: table.functionCount, by: 37).compactMap { table.function(at: $0) }
            .flatMap { [$0.entry, $0.entry + ($0.end - $0.entry) / 2, $0.end - 1] }
        return (bytes, table.textStart, pcs)
    }

    /// Every question a backtrace asks of the table, at each pc.
    static func exercise(_ table: GoPCLNTable, at pcs: [UInt64]) -> Int {
        var answers = 0
        for pc in pcs {
            guard let function = table.function(containing: pc) else { continue }
            answers += 1
            _ = table.name(of: function)
            _ = table.spDelta(of: function, at: pc)
            _ = table.isTopFrame(function)
        }
        for index in [0, 1, table.functionCount / 2, table.functionCount - 1, table.functionCount] {
            _ = table.function(at: index)
        }
        return answers
    }

    @Test func theIntactTableAnswersEveryPC() throws {
        let real = try Self.realTable()
        let table = try GoPCLNTable(copying: real.bytes)
        #expect(Self.exercise(table, at: real.pcs) == real.pcs.count)
    }

    @Test func aWrongMagicIsNamed() throws {
        var bytes = try Self.realTable().bytes
        bytes[0] ^= 0x55
        #expect(throws: GoPCLNError.self) { try GoPCLNTable(copying: bytes) }
        do {
            _ = try GoPCLNTable(copying: bytes)
        } catch {
            guard case .unknownMagic = error else { Issue.record("\(error)"); return }
        }
    }

    @Test func anEmptyOrShortHeaderThrows() throws {
        let bytes = try Self.realTable().bytes
        for length in [0, 1, 7, 8, 16, 40, 63] {
            #expect(throws: GoPCLNError.self, "\(length) bytes") { try GoPCLNTable(copying: Array(bytes.prefix(length))) }
        }
    }

    /// Cut anywhere past the header: the header's offsets then point past the
    /// end (an error) or lookups run out of table (nil), whichever comes first.
    @Test func truncatedTablesThrowOrAnswerNil() throws {
        let real = try Self.realTable()
        var random = SplitMix64(seed: 17)
        for _ in 0..<200 {
            let length = Int.random(in: 64..<real.bytes.count, using: &random)
            guard let table = try? GoPCLNTable(copying: Array(real.bytes.prefix(length)), textStart: real.textStart) else { continue }
            _ = Self.exercise(table, at: real.pcs)
        }
    }

    @Test func randomlyCorruptedTablesNeverTrap() throws {
        let real = try Self.realTable()
        var random = SplitMix64(seed: 0x60_7c_1e)
        var readable = 0
        for _ in 0..<2_000 {
            var bytes = real.bytes
            // A few bytes anywhere, and often one in the header, where each byte matters most.
            for _ in 0..<Int.random(in: 1...8, using: &random) {
                bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
            }
            if Bool.random(using: &random) {
                bytes[Int.random(in: 8..<72, using: &random)] = UInt8.random(in: 0...255, using: &random)
            }
            guard let table = try? GoPCLNTable(copying: bytes, textStart: real.textStart) else { continue }
            readable += 1
            _ = Self.exercise(table, at: real.pcs)
        }
        // Most corruptions leave the header readable, so the lookups above really ran.
        #expect(readable > 500, "\(readable) of 2000 corrupted tables were readable")
    }
}
