import ELF
import Foundation

/// A small C program, built at test time, that captures its own registers and
/// stack inside a frameless leaf (leaf ← middle ← outer ← main) and writes them
/// out with /proc/self/maps: a real stack to unwind without ptrace.
enum RealProgram {
    static let source = #"""
    #include <stdio.h>
    #include <stdlib.h>
    #include <string.h>

    struct regs { unsigned long rip, rsp, rbp, rbx, r12, r13, r14, r15; };
    struct regs captured;
    unsigned long stack_top;
    static unsigned char stack_copy[1 << 20];
    unsigned long stack_copy_len;

    __attribute__((noinline)) long leaf(long *p, long n) {
        long s = 0;
        for (long i = 0; i < n; i++) s += p[i] * 3;
        if (n == 7 && stack_copy_len == 0) {
            __asm__ volatile(
                "lea 0(%%rip), %%rax\n\t mov %%rax, %0\n\t"
                "mov %%rsp, %1\n\t mov %%rbp, %2\n\t mov %%rbx, %3\n\t"
                "mov %%r12, %4\n\t mov %%r13, %5\n\t mov %%r14, %6\n\t mov %%r15, %7"
                : "=m"(captured.rip), "=m"(captured.rsp), "=m"(captured.rbp), "=m"(captured.rbx),
                  "=m"(captured.r12), "=m"(captured.r13), "=m"(captured.r14), "=m"(captured.r15)
                : : "rax");
            unsigned long len = stack_top - captured.rsp;
            if (len > sizeof stack_copy) len = sizeof stack_copy;
            void *dst = stack_copy; void *src = (void *)captured.rsp; unsigned long cnt = len;
            __asm__ volatile("rep movsb" : "+D"(dst), "+S"(src), "+c"(cnt) : : "memory");
            stack_copy_len = len;
        }
        return s;
    }

    __attribute__((noinline)) long middle(long n) {
        long buf[64];
        for (int i = 0; i < 64; i++) buf[i] = i * n;
        __asm__ volatile("" : : "r"(buf) : "memory");
        return leaf(buf, n) + 1;
    }

    __attribute__((noinline)) long outer(long n) {
        long a = middle(n);
        long b = middle(n + 1);
        return a * b + n;
    }

    int main(int argc, char **argv) {
        char line[4096];
        FILE *maps = fopen("/proc/self/maps", "r");
        while (fgets(line, sizeof line, maps)) {
            if (strstr(line, "[stack]")) { unsigned long lo, hi; sscanf(line, "%lx-%lx", &lo, &hi); stack_top = hi; }
        }
        fclose(maps);
        long r = outer(argc + 4);
        FILE *o = fopen(argv[1], "w");
        fprintf(o, "regs %lx %lx %lx %lx %lx %lx %lx %lx\n", captured.rip, captured.rsp, captured.rbp,
                captured.rbx, captured.r12, captured.r13, captured.r14, captured.r15);
        maps = fopen("/proc/self/maps", "r");
        while (fgets(line, sizeof line, maps)) fputs(line, o);
        fclose(maps);
        fclose(o);
        FILE *s = fopen(argv[2], "wb");
        fwrite(stack_copy, 1, stack_copy_len, s);
        fclose(s);
        printf("%ld\n", r);
        return 0;
    }
    """#

    struct Mapping {
        let range: Range<RuntimeAddress>
        let executable: Bool
        let offset: UInt64
        let path: String
    }

    struct Capture {
        let binary: String
        let registers: [UInt64]  // rip rsp rbp rbx r12 r13 r14 r15
        let maps: [Mapping]
        let stack: [UInt8]
    }

    /// Compiles with `flags`, runs, and reads back what the program captured.
    static func buildAndRun(flags: [String], in dir: URL) throws -> Capture {
        let src = dir.appendingPathComponent("prog.c")
        try source.write(to: src, atomically: true, encoding: .utf8)
        let bin = dir.appendingPathComponent("prog").path
        try ExternalTools.run("gcc", flags + ["-o", bin, src.path])
        let out = dir.appendingPathComponent("capture.txt").path
        let stack = dir.appendingPathComponent("stack.bin").path
        try ExternalTools.run(bin, [out, stack])
        let text = try String(contentsOfFile: out, encoding: .utf8)
        var regs: [UInt64] = []
        var maps: [Mapping] = []
        for line in text.split(separator: "\n") {
            let f = line.split(separator: " ", omittingEmptySubsequences: true)
            if f.first == "regs" {
                regs = f.dropFirst().compactMap { UInt64($0, radix: 16) }
            } else if f.count >= 5 {
                let bounds = f[0].split(separator: "-")
                guard bounds.count == 2, let lo = UInt64(bounds[0], radix: 16), let hi = UInt64(bounds[1], radix: 16) else { continue }
                maps.append(Mapping(range: RuntimeAddress(lo) ..< RuntimeAddress(hi), executable: f[1].contains("x"),
                                    offset: UInt64(f[2], radix: 16) ?? 0,
                                    path: f.count >= 6 ? String(f[5]) : ""))
            }
        }
        return Capture(binary: bin, registers: regs, maps: maps,
                       stack: [UInt8](try Data(contentsOf: URL(fileURLWithPath: stack))))
    }

    /// Function ranges (link-time) from `nm -S`.
    static func symbols(of binary: String) throws -> [String: Range<FileAddress>] {
        var result: [String: Range<FileAddress>] = [:]
        for line in try ExternalTools.run("nm", ["-S", "--defined-only", binary]).split(separator: "\n") {
            let f = line.split(separator: " ")
            guard f.count == 4, let a = UInt64(f[0], radix: 16), let s = UInt64(f[1], radix: 16) else { continue }
            result[String(f[3])] = FileAddress(a) ..< FileAddress(a + s)
        }
        return result
    }
}
