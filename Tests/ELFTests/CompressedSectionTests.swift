import Foundation
import Testing
import TestSupport
@testable import ELF

@Suite struct CompressedSectionTests {
    @Test func zlibDebugSectionsInflateToTheOriginalBytes() throws {
        let fixture = try CFixture.get()
        let compressedPath = fixture.directory + "/fixture-zlib"
        try runTool("objcopy", ["--compress-debug-sections=zlib", fixture.executable, compressedPath])
        let plain = try ELFFile.open(path: fixture.executable)
        let compressed = try ELFFile.open(path: compressedPath)
        let info = try #require(compressed.section(named: ".debug_info"))
        #expect(info.isCompressed)
        var checked = 0
        for section in compressed.sections where section.isCompressed {
            let original = try #require(plain.section(named: section.name))
            let inflated = try compressed.data(of: section)
            #expect(Array(inflated) == Array(try plain.data(of: original)), "\(section.name)")
            // Cached: the same buffer the second time.
            #expect(try compressed.data(of: section).baseAddress == inflated.baseAddress)
            checked += 1
        }
        #expect(checked >= 3)
        #expect(try compressed.symbols.count == plain.symbols.count)
    }

    @Test func zstdIsATypedError() throws {
        let fixture = try CFixture.get()
        let path = fixture.directory + "/fixture-zstd"
        do {
            try runTool("objcopy", ["--compress-debug-sections=zstd", fixture.executable, path])
        } catch {
            return  // binutils built without zstd: nothing to check
        }
        let file = try ELFFile.open(path: path)
        let info = try #require(file.section(named: ".debug_info"))
        #expect(info.isCompressed)
        #expect(throws: ELFError.compressedSectionUnsupported(section: ".debug_info", compressionType: 2)) {
            try file.data(of: info)
        }
    }
}
