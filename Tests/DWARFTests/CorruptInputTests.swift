import Foundation
import Testing
import TestSupport
@testable import DWARF
import ELF

/// Damaged debug sections must give empty or partial answers: never a trap,
/// never a hang. Each case is replayable from its seed.
@Suite struct CorruptInputTests {
    static let debugSections = [".debug_info", ".debug_abbrev", ".debug_line", ".debug_str", ".debug_line_str",
                                ".debug_rnglists", ".debug_ranges", ".debug_aranges", ".debug_addr", ".debug_str_offsets"]

    struct Original {
        let bytes: [UInt8]
        let elf: ELFFile
        let addresses: [FileAddress]
    }

    static func original(_ flags: [String]) throws -> Original {
        let binary = try InlineProgram.build(compiler: "gcc", flags: flags, tag: "corrupt")
        defer { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: binary).deletingLastPathComponent().path) }
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: binary)))
        let elf = try ELFFile(bytes: bytes)
        let addresses = try InlineProgram.addresses(binary: binary)
        return Original(bytes: bytes, elf: elf, addresses: addresses)
    }

    /// Looks everything up in a damaged image; reaching the end is the test.
    static func exercise(_ bytes: [UInt8], addresses: [FileAddress]) -> Int {
        guard let elf = try? ELFFile(bytes: bytes), let info = DebugInfo(elf: elf) else { return 0 }
        var answers = 0
        for address in addresses {
            answers += info.frames(at: address).count
            if info.location(at: address) != nil { answers += 1 }
        }
        answers += info.frames(at: 0).count + info.frames(at: FileAddress(.max)).count
        return answers
    }

    @Test(arguments: [["-O2", "-g", "-gdwarf-4"], ["-O2", "-g", "-gdwarf-5"]])
    func flippedBytesInDebugSections(_ flags: [String]) throws {
        let original = try Self.original(flags)
        let targets = original.elf.sections.filter { Self.debugSections.contains($0.name) && $0.size > 0 }
        #expect(targets.count >= 4)
        #expect(Self.exercise(original.bytes, addresses: original.addresses) > original.addresses.count)
        for seed in UInt64(0) ..< 150 {
            var random = SplitMix64(seed: seed)
            var bytes = original.bytes
            let section = targets[Int(random.next() % UInt64(targets.count))]
            let start = Int(section.offset), count = Int(section.size)
            switch random.next() % 3 {
            case 0:  // scattered flips
                for _ in 0 ..< 1 + Int(random.next() % 16) { bytes[start + Int(random.next() % UInt64(count))] ^= UInt8(truncatingIfNeeded: random.next() | 1) }
            case 1:  // a run of 0xff: huge lengths, unknown codes
                let at = start + Int(random.next() % UInt64(count))
                for i in at ..< min(start + count, at + 1 + Int(random.next() % 32)) { bytes[i] = 0xff }
            default:  // all garbage
                for i in start ..< start + count { bytes[i] = UInt8(truncatingIfNeeded: random.next()) }
            }
            _ = Self.exercise(bytes, addresses: original.addresses)
        }
    }

    @Test(arguments: [["-O2", "-g", "-gdwarf-4"], ["-O2", "-g", "-gdwarf-5"]])
    func truncatedDebugSections(_ flags: [String]) throws {
        let original = try Self.original(flags)
        let header = original.elf.header
        for section in original.elf.sections where Self.debugSections.contains(section.name) && section.size > 0 {
            // Shrink sh_size: every structure that ran to the old end now runs off it.
            for newSize in [0, 1, 7, Int(section.size) / 3, Int(section.size) - 1] {
                var bytes = original.bytes
                let sizeField = Int(header.sectionHeaderOffset) + section.index * Int(header.sectionHeaderEntrySize) + 32
                withUnsafeBytes(of: UInt64(newSize).littleEndian) { for (i, b) in $0.enumerated() { bytes[sizeField + i] = b } }
                _ = Self.exercise(bytes, addresses: original.addresses)
            }
        }
        // The file itself cut short inside the debug sections.
        if let info = original.elf.section(named: ".debug_info") {
            _ = Self.exercise(Array(original.bytes.prefix(Int(info.offset) + Int(info.size) / 2)), addresses: original.addresses)
        }
    }

    /// Found by fuzz-dwarf (Fuzz/Regressions/dwarf/crash-fd0ec81a...): the last
    /// byte of a line program is an extended opcode whose ULEB128 length runs
    /// into the next bytes of the section, past the program's end. That trapped.
    @Test func extendedOpcodeLengthPastProgramEnd() throws {
        let line = ByteWriter.unit { w in
            w.u16(4)
            let headerLength = w.placeholder32()
            let headerStart = w.count
            w.u8(1); w.u8(1); w.u8(1); w.i8(-5); w.u8(14); w.u8(13)
            w.bytes += [0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1]
            w.u8(0)                                            // no include directories
            w.cString("a.c"); w.uleb(0); w.uleb(0); w.uleb(0); w.u8(0)
            w.patch32(at: headerLength, UInt32(w.count - headerStart))
            w.u8(0); w.uleb(9); w.u8(2); w.u64(0x1000)         // set_address
            w.u8(1)                                            // copy
            w.u8(0)                                            // extended opcode, length outside
        }
        let image = makeELF(sections: [(".debug_line", line + [0x85, 0x01])])
        let info = try #require(DebugInfo(elf: try ELFFile(bytes: image)))
        #expect(info.frames(at: 0x1000).isEmpty)  // the sequence never ended
        #expect(info.location(at: 0x1000) == nil)
    }

    @Test func garbageBuffersThroughEachParser() {
        var random = SplitMix64(seed: 42)
        for length in [0, 1, 3, 8, 15, 64, 300, 4096] {
            for _ in 0 ..< 40 {
                let garbage = (0 ..< length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
                garbage.withUnsafeBytes { buffer in
                    _ = AddressRanges.read(buffer)
                    _ = UnitDirectory(info: buffer)
                    _ = try? AbbreviationTable(section: buffer, offset: 0)
                }
            }
        }
    }
}
