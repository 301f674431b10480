import ELF
import Foundation
import GoPCLN
import Testing
import TestSupport

/// The pclntab of a Go program built here three ways, against the default
/// build's .symtab: the table must name every function the symbol table
/// does, in each build, because -s leaves nothing else to name them by.
@Suite(.serialized) struct BuiltTableTests {
    /// Each test builds its own copy (a second or two) in a directory it removes.
    static func withBuilds(_ body: ([GoLinkMode: ELFFile]) throws -> Void) throws {
        let directory = try makeTempDirectory("gopcln")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let binaries = try GoPrograms.build("goprog.go", into: directory)
        var files: [GoLinkMode: ELFFile] = [:]
        for (mode, path) in binaries { files[mode] = try ELFFile.open(path: path) }
        try body(files)
    }

    /// Function symbols with code: .symtab also lists runtime.text and
    /// runtime.etext, markers of size 0.
    static func functions(of elf: ELFFile) throws -> [ELFSymbol] {
        try elf.symbols.filter { $0.kind == .function && $0.size > 0 }
    }

    @Test func everySymtabFunctionIsFoundByItsPCsWithItsName() throws {
        try Self.withBuilds { files in
            let symbols = try Self.functions(of: try Self.file(files, .withDWARF))
            #expect(symbols.count > 1000, "a Go program has thousands of functions: \(symbols.count)")
            for mode in GoLinkMode.allCases {
                let table = try Self.table(files, mode)
                var missing: [String] = []
                for symbol in symbols {
                    let expected = Self.spelledAsInPCLNTab(GoFunctionName.withoutABISuffix(symbol.name))
                    for pc in [symbol.value.rawValue, symbol.value.rawValue + symbol.size - 1] {
                        let function = table.function(containing: pc)
                        let name = function.flatMap(table.name(of:))
                        if name != expected { missing.append("\(expected) at 0x\(String(pc, radix: 16)): \(name ?? "nil")") }
                    }
                }
                #expect(missing.isEmpty, "\(mode): \(missing.count) pcs misnamed, first \(missing.prefix(5))")
            }
        }
    }

    /// The pcsp table covers a function's code, not the padding up to the next
    /// entry; Go's functions end in the morestack call, at delta 0 again.
    @Test func spDeltaIsZeroAtEveryEntryAndPositiveInsideFrames() throws {
        try Self.withBuilds { files in
            let table = try Self.table(files, .stripped)
            var nonZeroAtEntry: [String] = []
            var framed = 0
            for index in 0..<table.functionCount {
                let function = try #require(table.function(at: index), "function \(index)")
                let name = table.name(of: function) ?? "#\(index)"
                if table.spDelta(of: function, at: function.entry) != 0 { nonZeroAtEntry.append(name) }
                let middle = function.entry + (function.end - function.entry) / 2
                if let delta = table.spDelta(of: function, at: middle), delta > 0 { framed += 1 }
            }
            #expect(nonZeroAtEntry.isEmpty, "\(nonZeroAtEntry.prefix(10))")
            #expect(framed > table.functionCount / 2, "\(framed) of \(table.functionCount) functions have a frame mid-way")
            // The frameless leaf whose caller -w builds lost: delta 0 throughout its code.
            let futex = try #require(Self.function(named: "runtime.futex", in: table))
            let futexDeltas = Self.deltas(of: futex, in: table)
            #expect(futexDeltas.count >= 16 && Set(futexDeltas) == [0], "\(futexDeltas)")
            // runtime.futexsleep has a frame: past its prologue sp lies below the return address.
            let futexsleep = try #require(Self.function(named: "runtime.futexsleep", in: table))
            let deltas = Self.deltas(of: futexsleep, in: table)
            #expect(deltas.count > 100 && (deltas.max() ?? 0) >= 16, "\(Set(deltas))")
        }
    }

    /// The sp deltas at every pc the function's pcsp table covers.
    static func deltas(of function: GoFunction, in table: GoPCLNTable) -> [Int32] {
        stride(from: function.entry, to: function.end, by: 1).compactMap { table.spDelta(of: function, at: $0) }
    }

    /// The linker spells a few generated names differently in .symtab and in
    /// the pclntab (`type..eq.[5]T` / `type..eq.[...]T`, `f.1` / `f·1`).
    static func spelledAsInPCLNTab(_ name: String) -> String {
        guard name.hasPrefix("type..") else { return name }
        return name.replacing(/\[[0-9]+\]/, with: "[...]").replacing(/\.([0-9]+)$/) { "·" + $0.1 }
    }

    /// The inline trees: their base found from moduledata in every build
    /// (the default build's go.func.* symbol says where it must be), and
    /// runtime.mPark inlined into runtime.stopm, as DWARF says and gdb shows.
    @Test func inlinedCallsComeFromTheTableAlone() throws {
        try Self.withBuilds { files in
            let symbols = try Self.file(files, .withDWARF).symbols
            let goFunc = try #require(symbols.symbols(named: "go.func.*").first ?? symbols.symbols(named: "go:func.*").first)
            for mode in GoLinkMode.allCases {
                let table = try Self.table(files, mode)
                #expect(table.functionData?.base == goFunc.value.rawValue, "\(mode)")
                let stopm = try #require(Self.function(named: "runtime.stopm", in: table))
                let inlined = Set(stride(from: stopm.entry, to: stopm.end, by: 1).map { table.inlinedFunctions(of: stopm, at: $0) })
                #expect(inlined.contains(["runtime.mPark"]), "\(mode): \(inlined)")
                #expect(inlined.contains([]), "\(mode): stopm's own code has nothing inlined")
            }
        }
    }

    @Test func topFramesAreFlagged() throws {
        try Self.withBuilds { files in
            let table = try Self.table(files, .stripped)
            for name in ["runtime.goexit", "runtime.mstart", "runtime.rt0_go"] {
                let function = try #require(Self.function(named: name, in: table), "\(name)")
                #expect(table.isTopFrame(function), "\(name)")
            }
            let main = try #require(Self.function(named: "main.main", in: table))
            #expect(!table.isTopFrame(main))
            let mcall = try #require(Self.function(named: "runtime.mcall", in: table))
            #expect(mcall.flags.contains(.writesSP))
        }
    }

    @Test func outsideTheTextThereIsNoFunction() throws {
        try Self.withBuilds { files in
            let table = try Self.table(files, .withoutDWARF)
            let first = try #require(table.entry(at: 0))
            let end = try #require(table.entry(at: table.functionCount))
            #expect(table.function(containing: first - 1) == nil)
            #expect(table.function(containing: end) == nil)
            #expect(table.function(containing: 0) == nil)
            #expect(table.function(containing: .max) == nil)
            #expect(table.function(at: -1) == nil && table.function(at: table.functionCount) == nil)
        }
    }

    /// A binary with no Go in it has no table, and no error.
    @Test func aBinaryThatIsNotGoHasNoTable() throws {
        let elf = try ELFFile.open(path: BuiltProducts.path("fixture-threads-fp"))
        #expect(try GoPCLNTable.locate(in: elf) == nil)
    }

    static func file(_ files: [GoLinkMode: ELFFile], _ mode: GoLinkMode) throws -> ELFFile {
        guard let file = files[mode] else { throw TestFailure("no \(mode) build") }
        return file
    }

    static func table(_ files: [GoLinkMode: ELFFile], _ mode: GoLinkMode) throws -> GoPCLNTable {
        guard let table = try GoPCLNTable.locate(in: try file(files, mode)) else { throw TestFailure("\(mode) build: no pclntab") }
        return table
    }

    static func function(named name: String, in table: GoPCLNTable) -> GoFunction? {
        (0..<table.functionCount).lazy.compactMap { table.function(at: $0) }.first { table.name(of: $0) == name }
    }
}
