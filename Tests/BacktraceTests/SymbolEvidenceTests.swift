import Foundation
import Testing
import TestSupport

/// The scorer's evidence, read by outside tools: symbol tables (nm), program
/// headers (readelf) and mappings (/proc), on real files and a live fixture.
@Suite struct SymbolEvidenceTests {
    static let libc = "/usr/lib/x86_64-linux-gnu/libc.so.6"
    static let hasTools = findExecutable("nm") != nil && findExecutable("readelf") != nil

    @Test func nmLinesWithAndWithoutSizes() {
        let symbols = ModuleSymbolTable.parse(nmOutput: """
        00000000000f82a0 000000000000009d T read@@GLIBC_2.2.5
        000000000003c050 t __restore_rt
        00000000001d4a00 0000000000000008 D some_data
        0000000000001000 T _init
        """)
        #expect(symbols == [
            .init(address: 0xf82a0, size: 0x9d, name: "read@@GLIBC_2.2.5"),
            .init(address: 0x3c050, size: nil, name: "__restore_rt"),
            .init(address: 0x1000, size: nil, name: "_init"),
        ])
        let table = ModuleSymbolTable(symbols: symbols)
        #expect(table.functionNames(containing: 0xf82a0 + 0x4c) == ["read@@GLIBC_2.2.5"])
        // Past read's end, before anything else: no function.
        #expect(table.functionNames(containing: 0xf82a0 + 0x9d).isEmpty)
        // No size known: the nearest start below.
        #expect(table.functionNames(containing: 0x3c050) == ["__restore_rt"])
        #expect(table.functionNames(containing: 0xfff).isEmpty)
    }

    /// The glibc pairs gdb and a symbol table name differently are one
    /// function by libc's own symbol table (libc6-dbg's debug file).
    @Test(.enabled(if: hasTools && FileManager.default.fileExists(atPath: libc), "binutils or libc missing"))
    func glibcAliasesAreOneAddressInLibcsSymbolTable() throws {
        let table = try ModuleSymbolTable(path: Self.libc)
        let pairs = [
            ("clock_nanosleep@GLIBC_2.2.5", "__GI___clock_nanosleep"),
            ("__clock_nanosleep", "__GI___clock_nanosleep"),
            ("read", "__GI___libc_read"),
            ("__libc_read", "__GI___libc_read"),
            ("pthread_cond_wait@@GLIBC_2.3.2", "___pthread_cond_wait"),
            ("__nanosleep", "__GI___nanosleep"),
            ("__clone3", "clone3"),
            ("__libc_start_main@@GLIBC_2.34", "__libc_start_main_impl"),
        ]
        let hasDebugFile = table.symbols.contains { $0.name == "__GI___libc_read" }
        try #require(hasDebugFile, "libc's debug file is not installed (Debian package libc6-dbg)")
        for (ours, gdbs) in pairs {
            let start = try #require(table.symbols.first { $0.name == gdbs }, "\(gdbs) not in libc's symbol table")
            let names = table.functionNames(containing: start.address + 1)
            #expect(names.contains(ours) && names.contains(gdbs), "\(ours) / \(gdbs): \(names)")
        }
        let read = try #require(table.symbols.first { $0.name == "read" })
        #expect(!table.functionNames(containing: read.address).contains("__read_nocancel"))
    }

    @Test func programHeaderLines() {
        let segments = ProcessFileAddresses.parse(programHeaders: """
          Type           Offset   VirtAddr           PhysAddr           FileSiz  MemSiz   Flg Align
          PHDR           0x000040 0x0000000000000040 0x0000000000000040 0x0002d8 0x0002d8 R   0x8
          LOAD           0x000000 0x0000000000000000 0x0000000000000000 0x025388 0x025388 R   0x1000
          LOAD           0x026000 0x0000000000026000 0x0000000000026000 0x1550fc 0x1550fc R E 0x1000
        """)
        #expect(segments.count == 2)
        #expect(segments.last?.offset == 0x26000 && segments.last?.address == 0x26000 && segments.last?.fileSize == 0x1550fc)
    }

    /// On a live fixture: a function's runtime address (taken from gdb, not
    /// from us) leads to the fixture's symbol table names.
    @Test(.enabled(if: hasTools && GDBReference.isAvailable, "binutils or gdb missing"))
    func liveAddressesReachTheFixturesSymbols() throws {
        let child = try startFixture("fixture-threads-nofp")
        let gdb = try GDBReference.backtraces(of: child.pid)
        let worker = try #require(gdb.thread(named: "worker-1"))
        let middle = try #require(worker.frames.first { $0.function == "worker_middle" }?.pc)
        let evidence = SymbolEvidence.live(pid: child.pid)
        // The return address into worker_middle lies inside worker_middle.
        #expect(evidence.functionNames(middle - 1) == ["worker_middle"], "\(evidence.functionNames(middle - 1))")
        #expect(evidence.functionNames(0).isEmpty)
        #expect(!evidence.isTailCallFrame(middle), "worker_middle calls worker_inner")
    }
}
