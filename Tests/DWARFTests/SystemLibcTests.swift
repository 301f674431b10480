import Foundation
import Testing
@testable import DWARF
import ELF

let libcPath = "/usr/lib/x86_64-linux-gnu/libc.so.6"

/// libc6-dbg's debug file for the installed libc: compressed DWARF 5 with
/// thousands of units, the real-world case lazy parsing exists for.
let libcDebugFile: String? = {
    guard let libc = try? ELFFile.open(path: libcPath), let buildID = libc.buildID,
          let path = DebugFileLocator().buildIDPath(for: buildID),
          FileManager.default.fileExists(atPath: path) else { return nil }
    return path
}()

@Suite(.enabled(if: libcDebugFile != nil, "libc6-dbg not installed"))
struct SystemLibcTests {
    static let functions = ["__clock_nanosleep", "__nanosleep", "_int_malloc", "__libc_malloc",
                            "___pthread_mutex_lock", "__libc_start_call_main", "__memcpy_avx_unaligned_erms", "qsort_r"]

    @Test func libcFramesMatchAddr2line() throws {
        let debugPath = try #require(libcDebugFile)
        let debug = try ELFFile.open(path: debugPath)
        let symbols = try debug.symbols

        let clock = ContinuousClock()
        let opened = clock.now
        let info = try #require(DebugInfo(elf: debug))
        let nanosleep = try #require(symbols.symbols(named: "__clock_nanosleep").first)
        let first = info.frames(at: nanosleep.value + 8)
        let firstLookup = clock.now - opened
        // glibc's internal alias (__GI___clock_nanosleep) is the DW_AT_name.
        #expect(first.last?.function?.hasSuffix("__clock_nanosleep") == true)
        #expect(first.last?.isInline == false)
        #expect(first.first?.location?.file.hasSuffix("clock_nanosleep.c") == true)
        // The first lookup inflates .debug_info and reads one unit, not all of them.
        #expect(firstLookup < .seconds(3), "first lookup took \(firstLookup)")

        var addresses: [FileAddress] = []
        for name in Self.functions {
            guard let symbol = symbols.symbols(named: name).first, symbol.size > 0 else { continue }
            addresses += try instructionAddresses(binary: libcPath, start: symbol.value, end: min(symbol.end, symbol.value + 400))
        }
        #expect(addresses.count > 200)
        let problems = try disagreements(info, binary: debugPath, addresses: addresses)
        #expect(problems.isEmpty, "\(problems.count) of \(addresses.count) differ:\n\(problems.prefix(30).joined(separator: "\n"))")
        // Inlining is there to be checked: some address has an inlined frame.
        #expect(addresses.contains { info.frames(at: $0).first?.isInline == true })
    }

    @Test func lookupsInManyUnitsStayFast() throws {
        let debug = try ELFFile.open(path: try #require(libcDebugFile))
        let info = try #require(DebugInfo(elf: debug))
        let functions = try debug.symbols.filter { $0.kind == .function && $0.size > 0 }
        let clock = ContinuousClock()
        let started = clock.now
        var found = 0
        // Every 20th function: a few hundred units read on demand.
        for symbol in functions.enumerated().filter({ $0.offset % 20 == 0 }).map(\.element) {
            if info.frames(at: symbol.value).last?.function != nil { found += 1 }
        }
        let elapsed = clock.now - started
        #expect(found > functions.count / 20 / 2)
        #expect(elapsed < .seconds(20), "took \(elapsed)")
    }
}
