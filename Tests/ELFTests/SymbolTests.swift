import Foundation
import Testing
import TestSupport
@testable import ELF

@Suite struct SymbolTests {
    @Test func libcMallocMatchesReadelf() throws {
        let libc = try ELFFile.open(path: libcPath)
        let table = try libc.symbols
        let expected = try readelfSymbols(libcPath)
        for name in ["malloc", "free", "printf", "pthread_create"] {
            let row = try #require(expected.first { $0.name == name && $0.ndx != "UND" }, "\(name) in readelf")
            let ours = table.symbols(named: name)
            #expect(ours.count == 1, "\(name): \(ours)")
            #expect(ours.first?.value.rawValue == row.value)
            #expect(ours.first?.size == row.size)
            #expect(ours.first?.kind == .function)
            #expect(ours.first?.binding == .global)
        }
        // malloc and __libc_malloc are aliases: fewer underscores wins.
        let malloc = try #require(table.symbols(named: "malloc").first)
        #expect(table.symbols(named: "__libc_malloc").first?.value == malloc.value)
        #expect(table.symbol(containing: malloc.value)?.name == "malloc")
        #expect(table.symbol(containing: malloc.value + malloc.size - 1)?.name == "malloc")
        #expect(table.symbol(containing: malloc.value + 17)?.name == "malloc")
        // Sorted by address, nothing undefined.
        #expect(zip(table, table.dropFirst()).allSatisfy { $0.value <= $1.value })
        #expect(table.allSatisfy { $0.sectionIndex != 0 })
    }

    @Test func countMatchesReadelfFilter() throws {
        // The same filter applied to readelf's rows: defined FUNC/IFUNC/OBJECT
        // plus NOTYPE in executable sections, de-duplicated across tables.
        for path in [libcPath, "/bin/ls", try CFixture.get().executable] {
            let file = try ELFFile.open(path: path)
            let executableSections = Set(file.sections.filter(\.isExecutable).map { String($0.index) })
            let rows = Set(try readelfSymbols(path).filter { row in
                guard row.ndx != "UND" else { return false }
                switch row.type {
                case "FUNC", "OBJECT", "IFUNC": return true
                case "NOTYPE": return executableSections.contains(row.ndx)
                default: return false
                }
            }.map { "\($0.name)@\($0.value)/\($0.size)" })
            let ours = Set(try file.symbols.map { "\($0.name)@\($0.value.rawValue)/\($0.size)" })
            #expect(ours == rows, "\(path): only ours \(ours.subtracting(rows).prefix(5)), only readelf \(rows.subtracting(ours).prefix(5))")
            #expect(ours.count > 10)
        }
    }

    @Test func fixtureDataSymbolsByName() throws {
        let fixture = try CFixture.get()
        let file = try ELFFile.open(path: fixture.executable)
        let table = try file.symbols
        let rows = try readelfSymbols(fixture.executable)

        let global = table.symbols(named: "hold")
        #expect(global.count == 1)
        #expect(global.first?.kind == .object)
        #expect(global.first?.binding == .global)
        #expect(global.first?.size == 4)
        #expect(global.first?.value.rawValue == rows.first { $0.name == "hold" }?.value)

        let local = table.symbols(named: "hold.0")
        #expect(local.count == 1)
        #expect(local.first?.binding == .local)
        #expect(local.first?.kind == .object)
        #expect(local.first?.value.rawValue == rows.first { $0.name == "hold.0" }?.value)
        #expect(local.first?.value != global.first?.value)

        #expect(table.symbols(named: "hol").isEmpty)
        #expect(table.symbols(named: "worker.hold").isEmpty)
    }

    @Test func containingLookupNeverReturnsAWrongNeighbour() throws {
        let fixture = try CFixture.get()
        let table = try ELFFile.open(path: fixture.executable).symbols
        let spin = try #require(table.symbols(named: "spin_here").first)
        #expect(spin.kind == .function && spin.binding == .global && spin.size > 0)

        #expect(table.symbol(containing: spin.value)?.name == "spin_here")
        #expect(table.symbol(containing: spin.value + spin.size / 2)?.name == "spin_here")
        #expect(table.symbol(containing: spin.value + spin.size - 1)?.name == "spin_here")

        // The end boundary belongs to whatever starts there, else to nobody.
        let atEnd = table.symbol(containing: spin.end)
        let startingThere = table.filter { $0.value == spin.end }
        if startingThere.isEmpty {
            #expect(atEnd == nil)
        } else {
            #expect(atEnd.map { startingThere.contains($0) } == true)
        }

        // exported_entry is 64-byte aligned, so there is padding before it
        // that no symbol covers.
        let entry = try #require(table.symbols(named: "exported_entry").first)
        #expect(entry.value.rawValue % 64 == 0)
        let before = try #require(table.last { $0.value < entry.value && $0.kind == .function && $0.size > 0 })
        #expect(before.end < entry.value, "expected a gap before exported_entry")
        #expect(table.symbol(containing: before.end) == nil)
        #expect(table.symbol(containing: entry.value - 1) == nil)
        #expect(table.symbol(containing: entry.value)?.name == "exported_entry")

        // Below everything and far above everything.
        #expect(table.symbol(containing: 0) == nil)
        #expect(table.symbol(containing: FileAddress(.max)) == nil)
    }

    @Test func staticFunctionIsLocal() throws {
        let table = try ELFFile.open(path: try CFixture.get().executable).symbols
        let helper = try #require(table.symbols(named: "static_helper").first)
        #expect(helper.binding == .local)
        #expect(helper.kind == .function)
        #expect(table.symbol(containing: helper.value + 1)?.name == "static_helper")
    }

    @Test func strippedLibraryKeepsDynamicSymbolsOnly() throws {
        let fixture = try CFixture.get()
        let stripped = fixture.directory + "/libfixture-stripped.so"
        try runTool("strip", ["-o", stripped, fixture.library])
        let full = try ELFFile.open(path: fixture.library).symbols
        let file = try ELFFile.open(path: stripped)
        #expect(file.section(named: ".symtab") == nil)
        let table = try file.symbols

        let entry = try #require(table.symbols(named: "exported_entry").first)
        #expect(entry == full.symbols(named: "exported_entry").first)
        #expect(table.symbol(containing: entry.value + 3)?.name == "exported_entry")
        #expect(table.symbols(named: "spin_here").count == 1)
        #expect(table.symbols(named: "hold").count == 1)

        let helper = try #require(full.symbols(named: "static_helper").first)
        #expect(table.symbols(named: "static_helper").isEmpty)
        #expect(table.symbol(containing: helper.value) == nil)
        #expect(table.symbol(containing: helper.value + 2) == nil)
        #expect(table.symbols(named: "hold.0").isEmpty)
    }

    @Test func concurrentFirstAccessAgrees() async throws {
        let file = try ELFFile.open(path: libcPath)
        let malloc = try ELFFile.open(path: libcPath).symbols.symbols(named: "malloc").first!
        let answers = try await withThrowingTaskGroup(of: [String?].self) { group in
            for worker in 0 ..< 16 {
                group.addTask {
                    let table = try file.symbols
                    return [table.symbol(containing: malloc.value + UInt64(worker))?.name, file.buildIDHex, String(table.count)]
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(answers.count == 16)
        #expect(Set(answers.map { $0 }).count == 1)
        #expect(answers.first?.first == "malloc")
    }

    @Test func aliasOrderIsOneConsistentRule() throws {
        // Hand-made records: all at 0x1000, checked against the documented order.
        let names = Array("\0_w\0__g\0g\0l\0big\0obj\0".utf8)
        let owner = names.withUnsafeBytes { MappedFile(copying: $0) }
        let strings = StringTable(owner: owner, bytes: owner.bytes)
        func offset(_ s: String) -> UInt32 {
            let needle = Array(("\0" + s + "\0").utf8)
            for i in 0 ... names.count - needle.count where Array(names[i ..< i + needle.count]) == needle { return UInt32(i + 1) }
            fatalError(s)
        }
        func record(_ name: String, bind: UInt8, type: UInt8, size: UInt64) -> SymbolTable.Record {
            .init(value: 0x1000, size: size, nameOffset: offset(name), sectionIndex: 1, info: bind << 4 | type, stringTable: 0)
        }
        let shuffled = [
            record("l", bind: 0, type: 2, size: 16),
            record("obj", bind: 1, type: 1, size: 64),
            record("_w", bind: 2, type: 2, size: 16),
            record("__g", bind: 1, type: 2, size: 16),
            record("big", bind: 1, type: 2, size: 32),
            record("g", bind: 1, type: 2, size: 16),
        ]
        // Route through the loader's sort by building a file-less table the same way.
        var sorted = shuffled
        sorted.sort { a, b in SymbolOrder.precedes(a, b, strings: [strings]) }
        let table = SymbolTable(sortedRecords: sorted, strings: [strings])
        #expect(table.map(\.name) == ["big", "g", "__g", "obj", "_w", "l"])
        #expect(table.symbol(containing: 0x1000)?.name == "big")
        // Past the 16-byte ones only big (32) and obj (64) still contain it.
        #expect(table.symbol(containing: 0x1010)?.name == "big")
        #expect(table.symbol(containing: 0x1020)?.name == "obj")
        #expect(table.symbol(containing: 0x1040) == nil)
    }

    @Test func enclosingSymbolBeatsAZeroSizeLabelInside() throws {
        let names = Array("\0outer\0label\0".utf8)
        let owner = names.withUnsafeBytes { MappedFile(copying: $0) }
        let strings = StringTable(owner: owner, bytes: owner.bytes)
        let table = SymbolTable(sortedRecords: [
            .init(value: 0x1000, size: 0x100, nameOffset: 1, sectionIndex: 1, info: 0x12, stringTable: 0),
            .init(value: 0x1050, size: 0, nameOffset: 7, sectionIndex: 1, info: 0x00, stringTable: 0),
        ], strings: [strings])
        #expect(table.symbol(containing: 0x1050)?.name == "label")
        #expect(table.symbol(containing: 0x1060)?.name == "outer")
        #expect(table.symbol(containing: 0x1040)?.name == "outer")
        #expect(table.symbol(containing: 0x1100) == nil)
        #expect(table.symbol(containing: 0xfff) == nil)
    }
}

@Suite struct ExportedNameTests {
    /// glibc's read has LOCAL (`__GI___libc_read`), GLOBAL (`__read`,
    /// `__libc_read`) and, in some builds, WEAK (`read`) aliases.
    @Test func libcReadIsExportedAsReadAndEveryAliasStartsThere() throws {
        let table = try ELFFile.open(path: libcPath).symbols
        let read = try #require(table.symbols(named: "read").first)
        let aliases = table.symbols(at: read.value)
        #expect(aliases.contains { $0.name == "read" } && aliases.contains { $0.name == "__read" })
        #expect(aliases.allSatisfy { $0.value == read.value })
        #expect(table.exportedName(at: read.value) == "read")
        #expect(table.symbols(at: read.value + 1).isEmpty)
    }

    @Test func aLocalFunctionIsNotExported() throws {
        let fixture = try CFixture.get()
        let table = try ELFFile.open(path: fixture.executable).symbols
        let helper = try #require(table.symbols(named: "static_helper").first)
        #expect(helper.binding == .local)
        #expect(table.exportedName(at: helper.value) == nil)
    }
}
