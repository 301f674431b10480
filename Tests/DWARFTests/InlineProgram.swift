import ELF
import Foundation
import TestSupport
@testable import DWARF

/// A small C program in three files whose static inline helpers (in a header)
/// nest three deep inside noinline functions, built at test time with
/// different compilers and DWARF versions.
enum InlineProgram {
    static let header = #"""
    #ifndef MATH_INL_H
    #define MATH_INL_H
    extern volatile int sink;

    static inline __attribute__((always_inline)) int scale(int x) {
        sink += x;
        return x * 7 + sink;
    }

    static inline __attribute__((always_inline)) int accumulate(int n) {
        int total = 0;
        for (int i = 0; i < n; i++)
            total += scale(i);
        return total;
    }

    static inline __attribute__((always_inline)) int combine(int n) {
        int a = accumulate(n);
        int b = scale(n + 1);
        return a ^ b;
    }
    #endif
    """#

    static let main = #"""
    #include <stdio.h>
    #include "math_inl.h"

    volatile int sink;
    int helper_work(int n);

    __attribute__((noinline)) int compute_first(int n) {
        int r = combine(n);
        if (r & 1)
            r += scale(r);
        return r;
    }

    __attribute__((noinline)) static int compute_second(int n) {
        int r = 0;
        for (int i = 0; i < n; i++)
            r += accumulate(i) + helper_work(i);
        return r;
    }

    int main(int argc, char **argv) {
        (void)argv;
        int r = compute_first(argc + 3) + compute_second(argc + 2);
        printf("%d\n", r);
        return r == 12345;
    }
    """#

    static let helper = #"""
    #include "math_inl.h"

    __attribute__((noinline)) int helper_work(int n) {
        if (n > 100)
            return combine(n / 2);
        return scale(n) - combine(n);
    }
    """#

    static let functionNames = ["main", "compute_first", "compute_second", "helper_work"]

    /// Builds the program with `compiler` and `flags` into a fresh directory; returns the binary's path.
    static func build(compiler: String, flags: [String], tag: String) throws -> String {
        let dir = try makeTempDirectory(tag)
        try header.write(toFile: dir + "/math_inl.h", atomically: true, encoding: .utf8)
        try main.write(toFile: dir + "/main.c", atomically: true, encoding: .utf8)
        try helper.write(toFile: dir + "/helper.c", atomically: true, encoding: .utf8)
        let binary = dir + "/program"
        // Compile from inside the directory so file names are relative and comp_dir matters.
        try runTool("/bin/sh", ["-c", "cd '\(dir)' && \(compiler) \(flags.joined(separator: " ")) -o program main.c helper.c"])
        return binary
    }

    /// Every instruction address of the program's own functions (including .cold and .part clones).
    static func addresses(binary: String) throws -> [FileAddress] {
        let elf = try ELFFile.open(path: binary)
        let symbols = try elf.symbols
        var result: [FileAddress] = []
        for symbol in symbols where symbol.kind == .function && symbol.size > 0 {
            let base = symbol.name.split(separator: ".").first.map(String.init) ?? symbol.name
            guard functionNames.contains(base) else { continue }
            result += try instructionAddresses(binary: binary, start: symbol.value, end: symbol.end)
        }
        return result.sorted()
    }
}
