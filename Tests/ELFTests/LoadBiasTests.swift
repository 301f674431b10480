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
        let runtimeMalloc = RuntimeAddress(UInt64(UInt(bitPattern: dlsym(handle, "malloc"))))
        #expect(runtimeMalloc != 0)
        // Only the loader's mappings, the contiguous run around malloc: tests
        // (this one too) also mmap libc whole, elsewhere.
        let all = try mappings(of: real)
        var run = try #require(all.firstIndex { $0.start <= runtimeMalloc.rawValue && runtimeMalloc.rawValue < $0.end })
        while run > 0, all[run - 1].end == all[run].start { run -= 1 }
        var maps = [all[run]]
        while run + 1 < all.count, all[run + 1].start == all[run].end { run += 1; maps.append(all[run]) }
        #expect(maps.count >= 2)
        #expect(maps.contains { $0.executable })
        let linkMalloc = try #require(try libc.symbols.symbols(named: "malloc").first).value
        // Mappings at file offset 0 and beyond it (the code, the data) give one bias.
        #expect(maps.contains { $0.offset != 0 })
        for map in maps {
            let start = RuntimeAddress(map.start)
            let bias = try #require(libc.loadBias(mappingStart: start, fileOffset: map.offset), "\(map)")
            #expect(bias.runtimeAddress(of: linkMalloc) == runtimeMalloc, "mapping at \(start) offset 0x\(String(map.offset, radix: 16))")
            #expect(bias.fileAddress(of: runtimeMalloc) == linkMalloc)
            #expect(libc.loadBias(mappingStart: start, fileOffset: map.offset, executable: map.executable) == bias)
            #expect(bias.displacement % 4096 == 0)
            // The mapping's own start is the file address its offset is linked at.
            #expect(bias.fileAddress(of: start) == libc.linkAddress(forFileOffset: map.offset))
        }
        let first = LoadBias(runtime: RuntimeAddress(maps[0].start), file: libc.linkAddress(forFileOffset: maps[0].offset)!)
        #expect(try libc.symbols.symbol(containing: first.fileAddress(of: runtimeMalloc + 8))?.name == "malloc")
    }

    @Test func ownFunctionSymbolizesThroughProcSelfExe() throws {
        let exe = try ELFFile.open(path: "/proc/self/exe")
        let real = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        let probe: @convention(c) () -> Int32 = elftestsProbe
        let runtime = RuntimeAddress(UInt64(UInt(bitPattern: unsafeBitCast(probe, to: UnsafeRawPointer.self))))
        let text = try #require(try mappings(of: real).first { $0.start <= runtime.rawValue && runtime.rawValue < $0.end })
        #expect(text.executable)
        let bias = try #require(exe.loadBias(mappingStart: RuntimeAddress(text.start), fileOffset: text.offset, executable: true))
        #expect(bias != .zero)
        let symbol = try #require(try exe.symbols.symbol(containing: bias.fileAddress(of: runtime)))
        #expect(symbol.name == "elftests_probe")
        #expect(symbol.kind == .function)
        #expect(symbol.value == bias.fileAddress(of: runtime))
        #expect(bias.runtimeAddress(of: symbol.value) == runtime)
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
        #expect(ls.loadBias(mappingStart: RuntimeAddress(0x5555_5555_4000 + text.vaddr.rawValue), fileOffset: text.offset)
                == LoadBias(displacement: 0x5555_5555_4000))
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
        let mappingStart = RuntimeAddress(text.vaddr.rawValue & ~0xfff)
        let bias = try #require(file.loadBias(mappingStart: mappingStart, fileOffset: text.offset & ~0xfff))
        #expect(bias == .zero)
        // Where it was linked, so the two kinds of address have the same value.
        #expect(bias.runtimeAddress(of: text.vaddr).rawValue == text.vaddr.rawValue)
    }
}

@_cdecl("elftests_probe")
func elftestsProbe() -> Int32 { 42 }

/// The bias arithmetic on made-up addresses: what each real case above relies on.
@Suite struct LoadBiasConversionTests {
    @Test func positionIndependentModuleMovesUp() {
        // A PIE linked at 0, loaded at 0x5555_5555_4000.
        let bias = LoadBias(runtime: 0x5555_5555_4000, file: 0)
        #expect(bias.runtimeAddress(of: 0x1139) == 0x5555_5555_5139)
        #expect(bias.fileAddress(of: 0x5555_5555_5139) == 0x1139)
        #expect(bias.runtimeRange(of: 0x1100 ..< 0x1140) == 0x5555_5555_5100 ..< 0x5555_5555_5140)
    }

    @Test func nonPIEStaysWhereItWasLinked() {
        #expect(LoadBias(runtime: 0x401000, file: 0x401000) == .zero)
        #expect(LoadBias.zero.runtimeAddress(of: 0x401126) == 0x401126)
        #expect(LoadBias.zero.fileAddress(of: 0x401126) == 0x401126)
    }

    @Test func mappingAtANonZeroFileOffset() {
        // libc's code: file offset 0x28000 is linked at 0x28000 and mapped at
        // 0x7f00_0002_8000, so the bias is the mapping start minus 0x28000.
        let bias = LoadBias(runtime: 0x7f00_0002_8000, file: 0x28000)
        #expect(bias.displacement == 0x7f00_0000_0000)
        #expect(bias.runtimeAddress(of: 0xa50a0) == 0x7f00_000a_50a0)
        #expect(bias.fileAddress(of: 0x7f00_000a_50a0) == 0xa50a0)
    }

    @Test func moduleLoadedBelowItsLinkAddressWraps() {
        // A prelinked library moved down: the displacement is negative.
        let bias = LoadBias(runtime: 0x1000, file: 0x40_1000)
        #expect(bias.displacement == 0 &- 0x40_0000)
        #expect(bias.runtimeAddress(of: 0x40_2345) == 0x2345)
        #expect(bias.fileAddress(of: 0x2345) == 0x40_2345)
    }

    @Test func addressesStepAndMeasureWithinTheirKind() {
        let pc: RuntimeAddress = 0x7000_1000
        #expect(pc + 0x10 == 0x7000_1010)
        #expect(pc - 1 == 0x7000_0fff)
        #expect((pc + 0x30).offset(from: pc) == 0x30)
        #expect(RuntimeAddress(0) - 1 == RuntimeAddress(.max), "wraps as the machine does")
        #expect(FileAddress(0x10) < FileAddress(0x11))
        #expect("\(FileAddress(0x1139))" == "0x1139")
    }
}
