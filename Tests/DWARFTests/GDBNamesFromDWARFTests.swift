import Foundation
import Testing
import TestSupport
@testable import DWARF
import ELF

/// gdb's names computed from a C++ unit's DWARF (Tests/Programs/names.cpp,
/// g++ -O2 -g): qualified DW_AT_names, linkage names without parameters, a
/// parameter list spelled from DWARF types; and damaged sections that give
/// partial answers, never a trap.
@Suite struct GDBNamesFromDWARFTests {
    static let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Programs/names.cpp").path

    struct Built {
        let bytes: [UInt8]
        let elf: ELFFile
        let addresses: [FileAddress]
    }

    static func build(_ flags: [String]) throws -> Built {
        let dir = try makeTempDirectory("gdb-names")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try runTool("/bin/sh", ["-c", "g++ \(flags.joined(separator: " ")) -pthread -o '\(dir)/names' '\(source)'"])
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: dir + "/names")))
        let elf = try ELFFile(bytes: bytes)
        // Inside every function of the program: its first byte and its middle.
        let addresses = try elf.symbols.filter { $0.kind == .function && $0.size > 1 }
            .flatMap { [$0.value, FileAddress($0.value.rawValue + $0.size / 2)] }
        return Built(bytes: bytes, elf: elf, addresses: addresses)
    }

    @Test(arguments: [["-O2", "-g"], ["-O2", "-g", "-gdwarf-4"]])
    func namesAreGDBs(_ flags: [String]) throws {
        let built = try Self.build(flags)
        let info = try #require(DebugInfo(elf: built.elf))
        let names = Set(built.addresses.flatMap { info.frames(at: $0).compactMap(\.name) })
        for expected in [
            "app::doze_for", "app::Worker<long>::run", "app::Worker<long>::waitcv", "(anonymous namespace)::on_signal",
            "operator()", "main", "std::mutex::lock",
            "std::_Function_handler<void(), main()::<lambda()> >::_M_invoke(const std::_Any_data &)",
            "app::Boxed<main()::<lambda()>::<lambda()> >::take(const char **, char *, int &&, "
                + "const app::Boxed<main()::<lambda()>::<lambda()> > &, unsigned long)",
        ] {
            #expect(names.contains(expected), "\(expected) not among \(names.sorted())")
        }
        // No clone suffix, return type or demangler-style lambda survives.
        #expect(!names.contains { $0.contains("[clone") || $0.hasPrefix("void ") || $0.contains("{lambda") }, "\(names.sorted())")
    }

    @Test func damagedSectionsGivePartialNames() throws {
        let built = try Self.build(["-O2", "-g"])
        let targets = built.elf.sections.filter { [".debug_info", ".debug_abbrev", ".debug_str"].contains($0.name) && $0.size > 0 }
        #expect(targets.count == 3)
        for seed in UInt64(0) ..< 120 {
            var random = SplitMix64(seed: seed)
            var bytes = built.bytes
            let section = targets[Int(random.next() % UInt64(targets.count))]
            let start = Int(section.offset), count = Int(section.size)
            if random.next() % 2 == 0 {
                for _ in 0 ..< 1 + Int(random.next() % 16) {
                    bytes[start + Int(random.next() % UInt64(count))] ^= UInt8(truncatingIfNeeded: random.next() | 1)
                }
            } else {
                let at = start + Int(random.next() % UInt64(count))
                for i in at ..< min(start + count, at + 1 + Int(random.next() % 32)) { bytes[i] = 0xff }
            }
            guard let elf = try? ELFFile(bytes: bytes), let info = DebugInfo(elf: elf) else { continue }
            for address in built.addresses { _ = info.frames(at: address).map(\.name) }
        }
    }
}
