import Foundation
import Synchronization
import Testing
import TestSupport
@testable import ELF

enum Stats {
    static let parsed = Atomic<Int>(0)
    static let symbolTables = Atomic<Int>(0)
}

/// Random truncations and byte flips of real binaries: every access path must
/// either work or throw `ELFError`; a trap fails the whole run. Seeds are fixed
/// so a failure reproduces; the case number is in the failure message.
@Suite struct RobustnessTests {
    /// Exercises everything public on a (possibly corrupt) image. Returns how
    /// many paths threw, so the test can show the corruption was noticed.
    @discardableResult
    static func exercise(_ bytes: [UInt8]) -> Int {
        let file: ELFFile
        do { file = try ELFFile(bytes: bytes) } catch { _ = error.description; return 1 }
        var failures = 0
        Stats.parsed.add(1, ordering: .relaxed)
        _ = (file.type, file.entry, file.machine, file.isPositionIndependentExecutable)
        for section in file.sections {
            do {
                let data = try file.data(of: section)
                if section.type != .nobits, !section.isCompressed, data.count != Int(section.size) {
                    Issue.record("section \(section.name): \(data.count) bytes, header says \(section.size)")
                }
                _ = data.last
            } catch {
                _ = error.description
                failures += 1
            }
        }
        _ = file.section(named: ".text")
        _ = file.notes.map(\.descriptor.count)
        _ = file.buildIDHex
        _ = file.debugLink
        for segment in file.programHeaders {
            _ = file.loadBias(mappingStart: 0x7f00_0000_0000, fileOffset: segment.offset & ~0xfff)
            _ = file.linkAddress(forFileOffset: segment.offset &+ 17, executable: true)
        }
        do {
            let table = try file.symbols
            Stats.symbolTables.add(1, ordering: .relaxed)
            for symbol in table.prefix(50) {
                _ = table.symbol(containing: symbol.value + symbol.size / 2)
                _ = table.symbol(containing: symbol.end)
            }
            _ = table.symbol(containing: 0)
            _ = table.symbol(containing: FileAddress(.max))
            _ = table.symbols(named: "main")
        } catch {
            _ = error.description
            failures += 1
        }
        _ = DebugFileLocator(debugRoot: "/nonexistent-debug-root").buildIDPath(for: file.buildID ?? [])
        return failures
    }

    static func corpus() throws -> [(name: String, bytes: [UInt8])] {
        let fixture = try CFixture.get()
        // Each caller gets its own files: the suite's tests run in parallel,
        // and a file another test is still writing is not a corpus entry.
        let unique = UUID().uuidString.prefix(8)
        let zlib = fixture.directory + "/fixture-fuzz-zlib-\(unique)"
        try runTool("objcopy", ["--compress-debug-sections=zlib", fixture.executable, zlib])
        let debugOnly = fixture.directory + "/fixture-fuzz-\(unique).debug"
        try runTool("objcopy", ["--only-keep-debug", fixture.library, debugOnly])
        let stripped = fixture.directory + "/libfixture-fuzz-stripped-\(unique).so"
        try runTool("objcopy", ["--strip-all", "--add-gnu-debuglink=" + debugOnly, fixture.library, stripped])
        return [
            ("debug-only", try readBytes(debugOnly)),
            ("stripped+debuglink", try readBytes(stripped)),
            ("ls", try readBytes("/bin/ls")),
            ("fixture", try readBytes(fixture.executable)),
            ("fixture-zlib", try readBytes(zlib)),
            ("libfixture.so", try readBytes(fixture.library)),
        ]
    }

    @Test func originalsAreClean() throws {
        for (name, bytes) in try Self.corpus() {
            #expect(Self.exercise(bytes) == 0, "\(name)")
        }
    }

    @Test func randomTruncations() throws {
        var rng = SeededRNG(seed: 0x5eed_0001)
        var rejected = 0
        let corpus = try Self.corpus()
        for n in 0 ..< 1000 {
            let (_, bytes) = corpus[n % corpus.count]
            // Half anywhere, half near the end where the section table lives.
            let cut = n % 2 == 0 ? Int.random(in: 0 ..< bytes.count, using: &rng)
                : bytes.count - Int.random(in: 1 ... min(bytes.count, 4096), using: &rng)
            rejected += Self.exercise(Array(bytes[..<cut])) > 0 ? 1 : 0
        }
        // A file without its tail loses its section table: nearly all must notice.
        #expect(rejected > 900)
    }

    @Test func randomByteFlips() throws {
        var rng = SeededRNG(seed: 0x5eed_0002)
        let corpus = try Self.corpus()
        var noticed = 0
        for n in 0 ..< 2000 {
            let (name, original) = corpus[n % corpus.count]
            var bytes = original
            let file = try ELFFile(bytes: original)
            // Aim most flips at the structures the parser trusts.
            var targets: [Range<Int>] = [0 ..< 64]
            let shoff = Int(file.header.sectionHeaderOffset)
            targets.append(shoff ..< min(bytes.count, shoff + file.sections.count * 64))
            targets.append(64 ..< 64 + file.programHeaders.count * 56)
            for section in file.sections where [.symbolTable, .dynamicSymbolTable, .note, .stringTable].contains(section.type) || section.isCompressed || section.name == ".gnu_debuglink" {
                targets.append(Int(section.offset) ..< Int(section.offset + section.size))
            }
            targets.append(0 ..< bytes.count)
            // NOBITS sections (a debug-only file has many) may lie past the end.
            targets = targets.map { $0.clamped(to: 0 ..< bytes.count) }.filter { !$0.isEmpty }
            let flips = Int.random(in: 1 ... 8, using: &rng)
            for _ in 0 ..< flips {
                let range = targets[Int.random(in: 0 ..< targets.count, using: &rng)]
                let at = Int.random(in: range, using: &rng)
                bytes[at] = n % 3 == 0 ? UInt8.random(in: 0 ... 255, using: &rng) : bytes[at] ^ (1 << UInt8.random(in: 0 ..< 8, using: &rng))
                if n % 5 == 0 {  // sometimes a maximal value, the classic overflow bait
                    bytes[at] = 0xff
                }
            }
            _ = name
            noticed += Self.exercise(bytes) > 0 ? 1 : 0
        }
        #expect(noticed > 50, "flips into headers and tables should often be detected")
        print("flips: noticed \(noticed)/2000; parsed so far \(Stats.parsed.load(ordering: .relaxed)), symbol tables \(Stats.symbolTables.load(ordering: .relaxed))")
    }

    @Test func specificCorruptionsGiveTypedErrors() throws {
        let original = try readBytes("/bin/ls")
        let file = try ELFFile(bytes: original)
        func patched(_ at: Int, _ value: [UInt8]) -> [UInt8] {
            var bytes = original
            bytes.replaceSubrange(at ..< at + value.count, with: value)
            return bytes
        }
        // e_shoff far beyond the file.
        #expect(throws: ELFError.self) { try ELFFile(bytes: patched(40, [0, 0, 0, 0, 0, 0, 0, 0x7f])) }
        // e_shentsize too small.
        #expect(throws: ELFError.malformed(offset: 0x3a, what: "section header entry size 8 (expected 64)")) {
            try ELFFile(bytes: patched(58, [8, 0]))
        }
        // e_shstrndx out of range.
        #expect(throws: ELFError.malformed(offset: 0x3e, what: "section name table index 200 of 31 sections")) {
            try ELFFile(bytes: patched(62, [200, 0]))
        }
        // .dynsym's sh_link pointing at a non-string-table section.
        let dynsym = try #require(file.section(named: ".dynsym"))
        let linkAt = Int(file.header.sectionHeaderOffset) + dynsym.index * 64 + 40
        let badLink = try ELFFile(bytes: patched(linkAt, [1, 0, 0, 0]))
        #expect(throws: ELFError.self) { try badLink.symbols }
        // A symbol's name offset past its string table.
        let nameAt = Int(dynsym.offset) + 24 * 5
        let badName = try ELFFile(bytes: patched(nameAt, [0xff, 0xff, 0xff, 0x7f]))
        do {
            _ = try badName.symbols
            // Symbol 5 might be undefined and so never looked at; then it is fine to work.
        } catch {
            guard case .malformed = error else { Issue.record("\(error)"); return }
        }
        // A section's size running past the end of the file.
        let text = try #require(file.section(named: ".text"))
        let sizeAt = Int(file.header.sectionHeaderOffset) + text.index * 64 + 32
        let badSize = try ELFFile(bytes: patched(sizeAt, [0, 0, 0, 0, 0, 0, 0, 0x10]))
        let bigText = try #require(badSize.section(named: ".text"))
        #expect(throws: ELFError.self) { try badSize.data(of: bigText) }
    }

    @Test func compressedFlagOnTablesIsATypedErrorNotAHang() throws {
        let original = try readBytes("/bin/ls")
        let file = try ELFFile(bytes: original)
        for name in [".dynsym", ".dynstr", ".note.gnu.build-id", ".gnu_debuglink"] {
            let section = try #require(file.section(named: name))
            var bytes = original
            bytes[Int(file.header.sectionHeaderOffset) + section.index * 64 + 9] |= 0x08  // sh_flags |= SHF_COMPRESSED
            let patched = try ELFFile(bytes: bytes)
            #expect(patched.section(named: name)?.isCompressed == true)
            #expect(throws: ELFError.self, "\(name)") { try patched.data(of: patched.section(named: name)!) }
            if name.hasPrefix(".dyn") {
                #expect(throws: ELFError.self) { try patched.symbols }
            } else if name == ".gnu_debuglink" {
                #expect(patched.debugLink == nil)
            } else {
                #expect(patched.buildID == nil)
            }
        }
    }

    @Test func manySymbolTablesAreNotAProblem() throws {
        // Turn every section but the name table into a DYNSYM linked to
        // .dynstr: only the first table of each type is read.
        var bytes = try readBytes("/bin/ls")
        let file = try ELFFile(bytes: bytes)
        let dynstr = try #require(file.section(named: ".dynstr"))
        let shstrndx = Int(file.header.sectionNameTableIndex)
        for section in file.sections.dropFirst() where section.index != shstrndx && section.index != dynstr.index {
            let at = Int(file.header.sectionHeaderOffset) + section.index * 64
            bytes.replaceSubrange(at + 4 ..< at + 8, with: [11, 0, 0, 0])  // sh_type = SHT_DYNSYM
            bytes.replaceSubrange(at + 40 ..< at + 44, with: [UInt8(dynstr.index), 0, 0, 0])  // sh_link
            bytes.replaceSubrange(at + 56 ..< at + 64, with: [24, 0, 0, 0, 0, 0, 0, 0])  // sh_entsize
        }
        let patched = try ELFFile(bytes: bytes)
        #expect(patched.sections.filter { $0.type == .dynamicSymbolTable }.count > 20)
        Self.exercise(bytes)
    }

    @Test func lyingCompressedSizeIsRejectedWithoutAllocating() throws {
        let fixture = try CFixture.get()
        let path = fixture.directory + "/fixture-lying-zlib"
        try runTool("objcopy", ["--compress-debug-sections=zlib", fixture.executable, path])
        var bytes = try readBytes(path)
        let file = try ELFFile(bytes: bytes)
        let info = try #require(file.section(named: ".debug_info"))
        // ch_size (offset 8 in Elf64_Chdr) = 2^60.
        let at = Int(info.offset) + 8
        bytes.replaceSubrange(at ..< at + 8, with: [0, 0, 0, 0, 0, 0, 0, 0x10])
        let lying = try ELFFile(bytes: bytes)
        #expect(throws: ELFError.self) { try lying.data(of: lying.section(named: ".debug_info")!) }
        // And the error is cached, not recomputed differently.
        let first = #expect(throws: ELFError.self) { try lying.data(of: lying.section(named: ".debug_info")!) }
        guard case .malformed = first else { Issue.record("got \(String(describing: first))"); return }
    }
}
