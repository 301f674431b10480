import Foundation
import Testing
import TestSupport
@testable import DWARF
import ELF

/// C++ names come from DW_AT_linkage_name, often reached through
/// DW_AT_abstract_origin then DW_AT_specification (an inlined member function
/// declared in its class): the chains addr2line and gdb follow.
@Suite struct CxxProgramTests {
    static let source = #"""
    #include <cstdio>
    extern volatile int sink;
    volatile int sink;

    namespace shapes {
    struct Counter {
        int total = 0;
        __attribute__((always_inline)) inline void add(int x) { total += x * 3 + sink; }
        __attribute__((always_inline)) inline void addTwice(int x) { add(x); add(x + 1); }
        __attribute__((noinline)) int run(int n);
    };

    int Counter::run(int n) {
        for (int i = 0; i < n; i++) addTwice(i);
        return total;
    }

    template <typename T> __attribute__((noinline)) T twice(T value) {
        Counter c;
        c.addTwice(int(value));
        return value * 2 + T(c.total);
    }
    }

    int main(int argc, char **) {
        shapes::Counter c;
        int r = c.run(argc + 4) + shapes::twice<int>(argc) + int(shapes::twice<long>(argc));
        std::printf("%d\n", r);
        return r == 7;
    }
    """#

    @Test(arguments: [["-O2", "-g"], ["-O2", "-g", "-gdwarf-4"]])
    func linkageNamesThroughOriginAndSpecification(_ flags: [String]) throws {
        let dir = try makeTempDirectory("cxx")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.source.write(toFile: dir + "/shapes.cpp", atomically: true, encoding: .utf8)
        try runTool("/bin/sh", ["-c", "cd '\(dir)' && g++ \(flags.joined(separator: " ")) -o program shapes.cpp"])
        let binary = dir + "/program"
        let elf = try ELFFile.open(path: binary)
        let info = try #require(DebugInfo(elf: elf))
        var addresses: [FileAddress] = []
        for symbol in try elf.symbols where symbol.kind == .function && symbol.size > 0
            && (symbol.name == "main" || symbol.name.contains("shapes")) {
            addresses += try instructionAddresses(binary: binary, start: symbol.value, end: symbol.end)
        }
        #expect(addresses.count > 20)
        let problems = try disagreements(info, binary: binary, addresses: addresses)
        #expect(problems.isEmpty, "\(problems.count) of \(addresses.count) differ:\n\(problems.prefix(30).joined(separator: "\n"))")
        // The inlined member function is named by its mangled name, found via its declaration.
        let names = Set(addresses.flatMap { info.frames(at: $0).compactMap(\.function) })
        #expect(names.contains("_ZN6shapes7Counter3addEi"))
        #expect(names.contains("_ZN6shapes7Counter3runEi"))
        #expect(names.contains("_ZN6shapes5twiceIiEET_S1_"))
    }
}
