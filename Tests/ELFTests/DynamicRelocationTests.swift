import Foundation
import Testing
import TestSupport
@testable import ELF

/// One row of `readelf -rW`: offset, type, symbol name (version dropped) and
/// value when it names one, addend.
struct ReadelfRelocation: Hashable, CustomStringConvertible {
    let offset: UInt64, info: UInt64, name: String?, value: UInt64?, addend: Int64

    var description: String { "0x\(String(offset, radix: 16)) \(info & 0xffff_ffff) \(name ?? "-") \(addend)" }
}

func readelfRelocations(_ path: String) throws -> [ReadelfRelocation] {
    try runTool("readelf", ["-rW", path]).split(separator: "\n").compactMap { line in
        let f = line.split(separator: " ", omittingEmptySubsequences: true)
        guard f.count >= 4, f[0].count == 16, let offset = UInt64(f[0], radix: 16), let info = UInt64(f[1], radix: 16)
        else { return nil }
        if f.count == 4 {  // no symbol: the addend alone, in hex
            return ReadelfRelocation(offset: offset, info: info, name: nil, value: nil, addend: Int64(f[3], radix: 16)!)
        }
        guard f.count == 7, f[5] == "+" || f[5] == "-", let magnitude = Int64(f[6], radix: 16) else { return nil }
        let name = f[4].split(separator: "@", maxSplits: 1).first.map(String.init)
        return ReadelfRelocation(offset: offset, info: info, name: name, value: UInt64(f[3], radix: 16),
                                 addend: f[5] == "-" ? -magnitude : magnitude)
    }
}

@Suite struct DynamicRelocationTests {
    func ours(_ file: ELFFile) -> [ReadelfRelocation] {
        file.dynamicRelocations.map { r in
            ReadelfRelocation(
                offset: r.offset.rawValue, info: UInt64(r.symbolIndex) << 32 | UInt64(r.type.rawValue),
                name: r.symbol?.name, value: r.symbol?.value.rawValue, addend: r.addend)
        }
    }

    @Test func everyRelaEntryMatchesReadelf() throws {
        for path in [libcPath, try CFixture.get().library, try CFixture.get().executable] {
            let file = try ELFFile.open(path: path)
            let expected = try readelfRelocations(path)
            let found = ours(file)
            // libc keeps its relative relocations in .relr.dyn, which is not RELA
            // and which readelf lists apart (no 16-digit offsets in those rows).
            #expect(found == expected, "\(path): only ours \(Set(found).subtracting(expected).prefix(5)), only readelf \(Set(expected).subtracting(found).prefix(5))")
            #expect(found.count > 5, "\(path)")
        }
    }

    @Test func storedAddressesAreWhatTheLoaderWrites() throws {
        let fixture = try CFixture.get()
        // The library reaches its exported `hold` through a GOT slot.
        let library = try ELFFile.open(path: fixture.library)
        let hold = try #require(try library.symbols.symbols(named: "hold").first)
        let slot = try #require(library.dynamicRelocations.first { $0.symbol?.name == "hold" && $0.type == .globalData })
        #expect(slot.symbol?.isDefined == true)
        #expect(slot.storedFileAddress == hold.value)
        #expect(library.section(named: ".got").map { ($0.addr ..< $0.addr + $0.size).contains(slot.offset) } == true)
        // A PIE's RELATIVE entries store their addend, moved by the bias at load.
        let executable = try ELFFile.open(path: fixture.executable)
        let relative = executable.dynamicRelocations.filter { $0.type == .relative }
        #expect(!relative.isEmpty)
        #expect(relative.allSatisfy { $0.symbol == nil && $0.storedFileAddress == FileAddress(UInt64($0.addend)) })
        // A symbol another module defines: this file cannot say where it is.
        let imported = try #require(executable.dynamicRelocations.first { $0.symbol?.isDefined == false })
        #expect(imported.storedFileAddress == nil)
    }

    @Test func aBrokenTableIsATypedErrorAndTheRestStillReads() throws {
        let fixture = try CFixture.get()
        var bytes = try readBytes(fixture.library)
        let original = try ELFFile(bytes: bytes)
        let rela = try #require(original.section(named: ".rela.dyn"))
        let plt = original.section(named: ".rela.plt")
        // sh_entsize is the last field of the 64-byte section header.
        let entsizeAt = Int(original.header.sectionHeaderOffset) + rela.index * Section.entrySize + 56
        bytes[entsizeAt] = 25
        let broken = try ELFFile(bytes: bytes)
        let table = try #require(broken.section(named: ".rela.dyn"))
        #expect { try broken.relocations(in: table) } throws: {
            guard case .malformed(_, let what) = $0 as? ELFError else { return false }
            return what.contains("entry size 25")
        }
        let survivors = try plt.map { try original.relocations(in: $0) } ?? []
        #expect(broken.dynamicRelocations == survivors)
    }
}
