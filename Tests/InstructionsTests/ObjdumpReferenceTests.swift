import Foundation
import Instructions
import Testing

/// The decoder against objdump on real code: libc (required), other system
/// libraries with hand-written vector code where installed, and a C++ file
/// with AVX-512 compiled here so EVEX is certain to appear.
@Suite struct ObjdumpReferenceTests {
    @Test func libcAgreesWithObjdump() throws {
        let agreement = ObjdumpAgreement(try ObjdumpListing.disassemble("/usr/lib/x86_64-linux-gnu/libc.so.6"))
        report(agreement, "libc")
        #expect(agreement.checked > 200_000)
        #expect(agreement.ripRelativeChecked > 10_000)
        #expect(agreement.branchesChecked > 50_000)
        #expect(agreement.disagreements.isEmpty)
    }

    /// Every libc instruction copied 1 GiB away: what is refused, and that
    /// each copy holds together (see `CopyConsistency`).
    @Test func everyLibcInstructionCopies() throws {
        let listing = try ObjdumpListing.disassemble("/usr/lib/x86_64-linux-gnu/libc.so.6")
        let load: UInt64 = 0x7F00_0000_0000
        var runIndex = 0
        var copied = 0
        var refused: [String: Int] = [:]
        var problems: [String] = []
        for line in listing.lines {
            let bytes = Array(listing.bytes(from: line, runIndex: &runIndex))
            let original = load + line.address
            let copyAddress = original &- 0x4000_0000
            do throws(DisplacementError) {
                let copy = try Displacement.copy(of: bytes, at: original, to: copyAddress)
                copied += 1
                let instruction = try! InstructionDecoder.decode(bytes)
                problems += CopyConsistency.problems(copy, of: instruction, bytes, at: original, to: copyAddress)
            } catch {
                refused["\(error)".prefix(60).description, default: 0] += 1
            }
        }
        print("libc copies: \(copied) made, refused: \(refused)")
        #expect(copied > 330_000)
        #expect(problems.isEmpty, "\(problems.prefix(10))")
    }

    /// libcrypto's assembly uses VEX and EVEX (VAES, AVX-512 IFMA) heavily.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/usr/lib/x86_64-linux-gnu/libcrypto.so.3")))
    func libcryptoAgreesWithObjdump() throws {
        let agreement = ObjdumpAgreement(try ObjdumpListing.disassemble("/usr/lib/x86_64-linux-gnu/libcrypto.so.3"))
        report(agreement, "libcrypto")
        #expect(agreement.checked > 200_000)
        #expect(agreement.disagreements.isEmpty)
    }

    @Test func avx512CodeAgreesWithObjdump() throws {
        let library = try CompiledFixture.avx512Library()
        defer { try? FileManager.default.removeItem(atPath: (library as NSString).deletingLastPathComponent) }
        let agreement = ObjdumpAgreement(try ObjdumpListing.disassemble(library))
        report(agreement, "AVX-512 C++")
        #expect(agreement.evexChecked > 30)
        #expect(agreement.ripRelativeChecked > 5)
        #expect(agreement.disagreements.isEmpty)
    }

    private func report(_ agreement: ObjdumpAgreement, _ name: String) {
        print("\(name): \(agreement.checked) instructions, \(agreement.evexChecked) EVEX, \(agreement.ripRelativeChecked) RIP-relative, \(agreement.branchesChecked) relative branches; \(agreement.disagreements.count) disagree; objdump's known departures: \(agreement.knownDifferences)")
        for line in agreement.disagreements.prefix(20) { Issue.record(Comment(rawValue: line)) }
    }
}

/// Compiles test code with g++ into a temporary directory.
enum CompiledFixture {
    /// A shared library (so RIP-relative constants and calls are resolved)
    /// whose loops gcc vectorizes with AVX-512, plus intrinsics for masks,
    /// gathers, broadcasts and compressed displacements.
    static func avx512Library() throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("instructions-avx512-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let source = directory.appendingPathComponent("avx512.cpp")
        let library = directory.appendingPathComponent("libavx512.so")
        try avx512Source.write(to: source, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/g++")
        process.arguments = [
            "-O2", "-shared", "-fPIC", "-mavx512f", "-mavx512bw", "-mavx512vl", "-mavx512dq", "-mavx512cd",
            "-ftree-vectorize", "-o", library.path, source.path,
        ]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CompileFailed(status: process.terminationStatus) }
        return library.path
    }

    struct CompileFailed: Error { let status: Int32 }

    static let avx512Source = """
        #include <immintrin.h>
        #include <stddef.h>
        #include <stdint.h>

        static float table[1024] __attribute__((aligned(64)));
        static const int32_t offsets[16] = {0, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53};

        extern "C" void scale(float *out, const float *in, size_t n, float factor) {
            for (size_t i = 0; i < n; i++) out[i] = in[i] * factor + table[i & 1023];
        }

        extern "C" int64_t dot(const int32_t *a, const int32_t *b, size_t n) {
            int64_t sum = 0;
            for (size_t i = 0; i < n; i++) sum += (int64_t)a[i] * b[i];
            return sum;
        }

        extern "C" void clampBytes(uint8_t *p, size_t n, uint8_t low, uint8_t high) {
            for (size_t i = 0; i < n; i++) p[i] = p[i] < low ? low : (p[i] > high ? high : p[i]);
        }

        extern "C" __m512 gathered(const float *base, __mmask16 mask, __m512 fallback) {
            __m512i index = _mm512_loadu_si512(offsets);
            __m512 value = _mm512_mask_i32gather_ps(fallback, mask, index, base, 4);
            value = _mm512_fmadd_ps(value, _mm512_set1_ps(table[7]), _mm512_load_ps(table + 64));
            return _mm512_maskz_add_ps(mask, value, _mm512_broadcastss_ps(_mm_load_ss(base + 100)));
        }

        extern "C" int countAbove(const double *v, size_t n, double limit) {
            int count = 0;
            __m512d l = _mm512_set1_pd(limit);
            for (size_t i = 0; i + 8 <= n; i += 8) {
                __mmask8 m = _mm512_cmp_pd_mask(_mm512_loadu_pd(v + i), l, _CMP_GT_OQ);
                count += __builtin_popcount(m);
            }
            return count;
        }

        extern "C" void compress(int32_t *out, const int32_t *in, __mmask16 keep) {
            __m512i x = _mm512_loadu_si512(in + 16);
            _mm512_mask_compressstoreu_epi32(out + 3, keep, _mm512_ternarylogic_epi32(x, x, _mm512_set1_epi32(0x55), 0x96));
            __m256i y = _mm256_maskz_loadu_epi16(0xF0F0, in + 40);
            _mm256_storeu_si256((__m256i *)(out + 64), _mm256_conflict_epi32(y));
        }
        """
}
