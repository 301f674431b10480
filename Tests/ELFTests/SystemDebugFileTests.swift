import Foundation
import Testing
@testable import ELF

/// Debian's libc6-dbg ships libc's debug file under /usr/lib/debug/.build-id
/// with zlib-compressed DWARF: the real-world case the locator and the
/// decompression exist for. Skipped when the package is not installed.
let installedLibcDebugFile: String? = {
    guard let libc = try? ELFFile.open(path: libcPath), let path = DebugFileLocator().buildIDPath(for: libc.buildID ?? []),
          FileManager.default.fileExists(atPath: path) else { return nil }
    return path
}()

@Suite(.enabled(if: installedLibcDebugFile != nil, "libc6-dbg not installed"))
struct SystemDebugFileTests {
    static var libcDebugFile: String? { installedLibcDebugFile }

    @Test func locatorFindsLibcDebugFileByBuildID() throws {
        let libc = try ELFFile.open(path: libcPath)
        let found = try #require(DebugFileLocator().locate(for: libc, at: libcPath))
        #expect(found.method == .buildID)
        #expect(found.path == "/usr/lib/debug/.build-id/\(libc.buildIDHex!.prefix(2))/\(libc.buildIDHex!.dropFirst(2)).debug")
        #expect(found.file.buildID == libc.buildID)
    }

    @Test func debugFileHasLocalFunctionsAndTheSameAliasChoice() throws {
        let libc = try ELFFile.open(path: libcPath)
        let debug = try ELFFile.open(path: try #require(Self.libcDebugFile))
        let full = try debug.symbols
        #expect(full.count > 2 * (try libc.symbols.count))
        let rows = try readelfSymbols(debug.path!)
        let intMalloc = try #require(full.symbols(named: "_int_malloc").first)
        let row = try #require(rows.first { $0.name == "_int_malloc" })
        #expect(intMalloc.value.rawValue == row.value && intMalloc.size == row.size)
        #expect(intMalloc.binding == .local)
        #expect(try libc.symbols.symbol(containing: intMalloc.value + 10) == nil)  // static: not in .dynsym
        #expect(full.symbol(containing: intMalloc.value + 10)?.name == "_int_malloc")
        let malloc = try #require(try libc.symbols.symbols(named: "malloc").first)
        #expect(full.symbol(containing: malloc.value + 3)?.name == "malloc")
    }

    @Test func compressedDebugInfoInflates() throws {
        let debug = try ELFFile.open(path: try #require(Self.libcDebugFile))
        let info = try #require(debug.section(named: ".debug_info"))
        #expect(info.isCompressed)
        let raw = try debug.rawData(of: info)
        let clock = ContinuousClock()
        var data = UnsafeRawBufferPointer(start: nil, count: 0)
        let elapsed = try clock.measure { data = try debug.data(of: info) }
        print("inflated \(debug.path!) .debug_info: \(raw.count) -> \(data.count) bytes in \(elapsed)")
        #expect(data.count == Int(raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))  // ch_size
        #expect(data.count > raw.count)
        // The first DWARF unit header: a 32-bit length that fits, version 2...5.
        let unitLength = data.loadUnaligned(as: UInt32.self)
        #expect(unitLength > 0 && Int(unitLength) < data.count)
        #expect((2 ... 5).contains(data.loadUnaligned(fromByteOffset: 4, as: UInt16.self)))
        // Every compressed section inflates.
        for section in debug.sections where section.isCompressed {
            #expect(try debug.data(of: section).count > 0, "\(section.name)")
        }
    }
}
