import Foundation
import Testing
import TestSupport
@testable import ELF

@Suite struct LoadBiasTests {
    /// Mappings of `path` in this process: (start, offset, executable).
    func mappings(of realPath: String) throws -> [(start: UInt64, end: UInt64, offset: UInt64, executable: Bool)] {
        // Read to EOF: String(contentsOfFile:) may stop after the first read of
        // a /proc file (which reports size 0), losing later lines.
        let data = try FileHandle(forReadingFrom: URL(fileURLWithPath: "/proc/self/maps")).readToEnd() ?? Data()
        return String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap { line in
            let f = line.split(separator: " ", omittingEmptySubsequences: true)
            guard f.count >= 6, f[5] == realPath else { return nil }
            let range = f[0].split(separator: "-").map { UInt64($0, radix: 16)! }
            return (range[0], range[1], UInt64(f[2], radix: 16)!, f[1].contains("x"))
        }
    }

    @Test func libcBiasFromEveryMappingAgreesWithDlsym() throws {
        let real = try #require(realpath(libcPath, nil).map { p in defer { free(p) }; return String(cString: p) })
        let libc = try ELFFile.open(path: real)
        // Ask libc itself: RTLD_DEFAULT may answer with the executable's canonical PLT entry.
        let handle = try #require(dlopen("libc.so.6", RTLD_NOW | RTLD_NOLOAD))
        defer { dlclose(handle) }
        let runtimeMalloc = UInt64(UInt(bitPattern: dlsym(handle, "malloc")))
        #expect(runtimeMalloc != 0)
        // Only the loader's mappings, the contiguous run around malloc: tests
        // (this one too) also mmap libc whole, elsewhere.
        let all = try mappings(of: real)
        var run = try #require(all.firstIndex { $0.start <= runtimeMalloc && runtimeMalloc < $0.end })
        while run > 0, all[run - 1].end == all[run].start { run -= 1 }
        var maps = [all[run]]
        while run + 1 < all.count, all[run + 1].start == all[run].end { run += 1; maps.append(all[run]) }
        #expect(maps.count >= 2)
        #expect(maps.contains { $0.executable })
        let linkMalloc = try #require(try libc.symbols.symbols(named: "malloc").first).value
        for map in maps {
            let bias = try #require(libc.loadBias(mappingStart: map.start, fileOffset: map.offset), "\(map)")
            #expect(linkMalloc &+ bias == runtimeMalloc, "mapping at 0x\(String(map.start, radix: 16)) offset 0x\(String(map.offset, radix: 16))")
            #expect(libc.loadBias(mappingStart: map.start, fileOffset: map.offset, executable: map.executable) == bias)
            #expect(bias % 4096 == 0)
        }
        #expect(try libc.symbols.symbol(containing: runtimeMalloc &- (maps[0].start &- libc.linkAddress(forFileOffset: maps[0].offset)!) + 8)?.name == "malloc")
    }

    @Test func ownFunctionSymbolizesThroughProcSelfExe() throws {
        let exe = try ELFFile.open(path: "/proc/self/exe")
        let real = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        let probe: @convention(c) () -> Int32 = elftestsProbe
        let runtime = UInt64(UInt(bitPattern: unsafeBitCast(probe, to: UnsafeRawPointer.self)))
        let text = try #require(try mappings(of: real).first { $0.start <= runtime && runtime < $0.end })
        #expect(text.executable)
        let bias = try #require(exe.loadBias(mappingStart: text.start, fileOffset: text.offset, executable: true))
        let symbol = try #require(try exe.symbols.symbol(containing: runtime &- bias))
        #expect(symbol.name == "elftests_probe")
        #expect(symbol.kind == .function)
        #expect(symbol.value == runtime &- bias)
        #expect(elftestsProbe() == 42)
    }

    @Test func linkAddressFollowsSegments() throws {
        let ls = try ELFFile.open(path: "/bin/ls")
        // From readelf: LOAD 0x0232b0 vaddr 0x0232b0 (RW); its mapping starts at file page 0x23000.
        let rw = try #require(ls.programHeaders.last { $0.type == .load })
        let page = rw.offset & ~0xfff
        #expect(ls.loadSegment(forFileOffset: page) == rw)
        #expect(ls.linkAddress(forFileOffset: page) == rw.vaddr - (rw.offset - page))
        #expect(ls.linkAddress(forFileOffset: rw.offset + 8) == rw.vaddr + 8)
        let text = try #require(ls.programHeaders.first { $0.type == .load && $0.flags.contains(.execute) })
        #expect(ls.linkAddress(forFileOffset: text.offset) == text.vaddr)
        #expect(ls.loadBias(mappingStart: 0x5555_5555_4000 + text.vaddr, fileOffset: text.offset) == 0x5555_5555_4000)
        // Beyond every segment: no answer rather than a guess.
        #expect(ls.linkAddress(forFileOffset: UInt64(ls.bytes.count) + 0x10000) == nil)
    }

    @Test func nonPIEHasZeroBias() throws {
        let fixture = try CFixture.get()
        let path = fixture.directory + "/fixture-nopie-bias"
        try runTool("gcc", ["-O2", "-no-pie", "-DWITH_MAIN", "-o", path, fixture.directory + "/fixture.c"])
        let file = try ELFFile.open(path: path)
        let text = try #require(file.programHeaders.first { $0.type == .load && $0.flags.contains(.execute) })
        #expect(text.vaddr >= 0x400000)
        #expect(file.loadBias(mappingStart: text.vaddr & ~0xfff, fileOffset: text.offset & ~0xfff) == 0)
    }
}

@_cdecl("elftests_probe")
func elftestsProbe() -> Int32 { 42 }
