import Backtraces
import ELF
import Foundation
@testable import Holds
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// The code side: which functions use a flag, in files rather than processes.
@Suite(.timeLimit(.minutes(8))) struct ReferenceScannerTests {
    func module(_ path: String) throws -> ModuleFile {
        try ModuleCache().module(openPath: path, displayPath: path).get()
    }

    func objectSymbol(_ name: String, in module: ModuleFile) throws -> ELFSymbol {
        try #require(try module.elf.symbols.symbols(named: name).first { $0.kind == .object })
    }

    /// In a shared object, code reaches an exported variable through its GOT
    /// slot; a hidden one directly.
    @Test func sharedObjectFlagsAreFoundThroughTheGOT() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let source = dir + "/spin.c"
        try """
        volatile int exported_flag = 1;
        __attribute__((visibility("hidden"))) volatile int hidden_flag = 1;
        volatile long wide_flag = 1;
        void spin_exported(void) { while (exported_flag) ; }
        void spin_hidden(void) { while (hidden_flag) ; }
        void release_all(void) { exported_flag = 0; hidden_flag = 0; }
        void spin_wide(void) { while (wide_flag) ; }
        """.write(toFile: source, atomically: true, encoding: .utf8)
        let library = try gcc(["-O2", "-shared", "-fPIC", source], output: dir + "/libspin.so")
        let module = try module(library)
        let names = ["exported_flag", "hidden_flag", "wide_flag"]
        let ranges = try names.map { name in
            let symbol = try objectSymbol(name, in: module)
            return symbol.value ..< symbol.end
        }
        let functions = FlagReferenceScanner().functions(referencing: ranges, in: module).map { $0.map(\.name) }
        #expect(functions == [["spin_exported", "release_all"], ["spin_hidden", "release_all"], ["spin_wide"]])
    }

    @Test func answersAreCachedPerModuleAndRange() throws {
        let module = try module(BuiltProducts.path("fixture-threads-nofp"))
        let hold = try objectSymbol("hold", in: module)
        let scanner = FlagReferenceScanner()
        let clock = ContinuousClock()
        var first: [[ELFSymbol]] = []
        let cold = clock.measure { first = scanner.functions(referencing: [hold.value ..< hold.end], in: module) }
        var second: [[ELFSymbol]] = []
        let warm = clock.measure { second = scanner.functions(referencing: [hold.value ..< hold.end], in: module) }
        #expect(first == second)
        #expect(first.first?.map(\.name) == ["spin_on_hold"])
        print("fixture scan: \(cold) cold, \(warm) cached")
        // The code uses the flag's first byte: its other bytes alone are used by nobody.
        #expect(scanner.functions(referencing: [hold.value + 1 ..< hold.end], in: module) == [[]])
        // Beyond the flag: nobody.
        #expect(scanner.functions(referencing: [hold.end ..< hold.end + 0], in: module) == [[]])
    }

    /// libc is the big module most processes have; print how long a cold scan takes.
    @Test func libcScanIsQuick() throws {
        let space = try addressSpace(getpid())
        let libc = try #require(space.regions.compactMap(\.module).first { $0.path.contains("/libc.so") })
        // Any 4- or 8-byte data object: the cost is the pass over the code.
        let symbols = try libc.elf.symbols
        let object = try #require(symbols.first { $0.kind == .object && ($0.size == 4 || $0.size == 8) })
        let scanner = FlagReferenceScanner()
        let clock = ContinuousClock()
        var found: [[ELFSymbol]] = []
        let cold = clock.measure { found = scanner.functions(referencing: [object.value ..< object.end], in: libc) }
        let text = libc.elf.sections.filter(\.isExecutable).reduce(0) { $0 + $1.size }
        print("libc scan (\(text / 1024) KiB of code) for \(object.name): \(cold), \(found[0].count) functions")
        // The finder's cold cost is listing every module's symbols (the
        // tables themselves may already be loaded): print the slowest.
        let modules = LoadedModule.all(in: try addressSpace(getpid()))
        let index = ModuleDataSymbols()
        var costs: [(Duration, String)] = []
        let total = clock.measure {
            for module in modules {
                costs.append((clock.measure { _ = index.recognizedFlags(in: module.module) }, module.path))
            }
        }
        let slowest = costs.sorted { $0.0 > $1.0 }.prefix(3).map { "\($0.1.split(separator: "/").last ?? ""): \($0.0)" }
        print("find over this process's \(modules.count) modules: \(total); slowest \(slowest)")
    }

    /// Garbage where the tables are: no trap, and nothing that is not a flag.
    @Test(arguments: 0 ..< 24)
    func corruptModuleDoesNotCrash(seed: Int) throws {
        let original = try [UInt8](Data(contentsOf: URL(fileURLWithPath: BuiltProducts.path("fixture-threads-nofp"))))
        let elf = try ELFFile(bytes: original)
        var bytes = original
        var random = SplitMix(seed: UInt64(seed))
        // Half the runs hit the symbol, relocation and code sections; the rest anywhere.
        let targets = elf.sections.filter { [.symbolTable, .rela, .progbits, .stringTable].contains($0.type) && $0.size > 0 }
        for _ in 0 ..< 64 {
            let index: Int
            if seed % 2 == 0, let section = targets.randomElement(using: &random) {
                index = Int(section.offset) + Int(random.next() % section.size)
            } else {
                index = Int(random.next() % UInt64(bytes.count))
            }
            if index < bytes.count { bytes[index] = UInt8(truncatingIfNeeded: random.next()) }
        }
        if seed % 6 == 5 { bytes.removeLast(Int(random.next() % UInt64(bytes.count / 2))) }
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/corrupt"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        guard let module = try? ModuleCache().module(openPath: path, displayPath: path).get() else { return }
        let flags = HoldFlagFinder(scanner: FlagReferenceScanner()).recognizedFlags(in: module, loadBias: LoadBias(displacement: 0x1000))
        #expect(flags.allSatisfy { [1, 2, 4, 8].contains($0.size) })
        let ranges = [0x3000 ..< 0x3004, FileAddress(UInt64.max - 2) ..< FileAddress(.max), 0 ..< 0x100000] as [Range<FileAddress>]
        _ = FlagReferenceScanner().functions(referencing: ranges, in: module)
    }
}

typealias SplitMix = SplitMix64
