import Foundation
import Testing
import TestSupport
@testable import ELF

func readBytes(_ path: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
}

func writeBytes(_ bytes: [UInt8], to path: String) throws {
    try Data(bytes).write(to: URL(fileURLWithPath: path))
}

/// A small C program compiled once per test run with `gcc -O2 -g`, as an
/// executable and as a shared library.
struct CFixture: Sendable {
    static let source = """
    volatile int hold = 1;

    __attribute__((noinline, noclone)) int spin_here(int n) {
        static volatile int hold = 0;   /* gcc names this one hold.0 */
        for (int i = 0; i < n; i++) hold += i;
        return hold;
    }

    /* aligned(64) leaves a padding gap after spin_here that no symbol covers. */
    __attribute__((noinline, noclone, aligned(64))) static int static_helper(int x) {
        return x * 3 + hold;
    }

    __attribute__((noinline, noclone, aligned(64))) int exported_entry(int x) {
        return static_helper(x) + spin_here(x);
    }

    #ifdef WITH_MAIN
    int main(int argc, char **argv) { (void)argv; return exported_entry(argc) & 1; }
    #endif
    """

    let directory: String
    let executable: String
    let library: String

    static let shared: Result<CFixture, any Error> = Result { try CFixture.build() }

    static func get() throws -> CFixture { try shared.get() }

    private static func build() throws -> CFixture {
        let dir = try makeTempDirectory("fixture")
        let source = dir + "/fixture.c"
        try CFixture.source.write(toFile: source, atomically: true, encoding: .utf8)
        let executable = dir + "/fixture"
        let library = dir + "/libfixture.so"
        try runTool("gcc", ["-O2", "-g", "-DWITH_MAIN", "-o", executable, source])
        try runTool("gcc", ["-O2", "-g", "-shared", "-fPIC", "-o", library, source])
        return CFixture(directory: dir, executable: executable, library: library)
    }
}

/// One symbol row from `readelf -sW`: value, size, type, bind, ndx, raw name
/// with any @version suffix removed.
struct ReadelfSymbol: Hashable {
    let value: UInt64, size: UInt64, type: String, bind: String, ndx: String, name: String
}

func readelfSymbols(_ path: String) throws -> [ReadelfSymbol] {
    try runTool("readelf", ["-sW", path]).split(separator: "\n").compactMap { line in
        let f = line.split(separator: " ", omittingEmptySubsequences: true)
        guard f.count >= 8, f[0].hasSuffix(":"), let value = UInt64(f[1], radix: 16) else { return nil }
        let size: UInt64? = f[2].hasPrefix("0x") ? UInt64(f[2].dropFirst(2), radix: 16) : UInt64(f[2])
        guard let size else { return nil }
        let name = f[7].split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        return ReadelfSymbol(value: value, size: size, type: String(f[3]), bind: String(f[4]), ndx: String(f[6]), name: name)
    }
}

typealias SeededRNG = SplitMix64

let libcPath = "/usr/lib/x86_64-linux-gnu/libc.so.6"
