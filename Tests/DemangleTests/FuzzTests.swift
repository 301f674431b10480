import Foundation
import Testing
import TestSupport
@testable import Demangle

typealias SeededGenerator = SplitMix64

/// Random and mutated names: nothing may crash or hang, and every answer is
/// either the input or a non-empty string.
@Suite struct FuzzTests {
    static let seeds = [
        "_ZN3geo6detail3VecIfLi3EEC2Ef", "_ZZ4mainENKUliE_clEi", "_ZNSt6vectorIiSaIiEEixEm",
        "_Z3fooi.isra.0.cold", "_ZNK3geo6detail3VecIfLi3EEplERKS2_",
        "_ZN3std2rt10lang_start28_$u7b$$u7b$closure$u7d$$u7d$17h1234567890abcdefE",
        "_ZN7mycrate76_$LT$impl$u20$mycrate..Trait$u20$for$u20$$RF$str$C$$u20$$BP$const$u20$u8$GT$4call17h1234567890abcdefE",
        "_RINbNbCskIICzLVDPPb_5alloc5alloc8box_freeDINbNiB4_5boxed5FnBoxuEp6OutputuEL_ECs1iopQbuBiw2_3std",
        "_RNqCs4fqI2P2rA04_11utf8_identsu30____7hkackfecea1cbdathfdh9hlq6y",
        "_RINvCs1234_7mycrate3fooFG_RL0_hEuE", "_RINvCs1234_7mycrate3fooTlhEATjEj3_SPOeEC4core",
        "_RNvXs_Cs1234_7mycrateNtB4_3BarNtNtCs5678_4core3fmt5Debug3fmt",
        "_RINvCs1234_7mycrate3fooKRe68695f_EC4core", "_RMCs4fqI2P2rA04_13const_genericINtB0_4CharKc76_E",
        "$s8Demangle9DemanglerO8demangleyS2SFZ", "$s4main3fooyS2iF", "$sSaySiGD",
        "_T04main3fooS2iF", "memcpy@plt", "main",
    ]

    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_$.@".unicodeScalars)
    static let prefixes = ["_Z", "_ZN", "_ZZ", "_R", "_RN", "_RI", "__R", "$s", "_$s", "$S", "_T0", "$e", ""]

    static func randomScalar(_ rng: inout SeededGenerator) -> Unicode.Scalar {
        switch Int.random(in: 0..<100, using: &rng) {
        case 0: return "\0"
        case 1: return "ü"
        case 2: return "\u{10FFFF}"
        default: return alphabet.randomElement(using: &rng)!
        }
    }

    static func mutate(_ input: String, _ rng: inout SeededGenerator) -> String {
        var scalars = Array(input.unicodeScalars)
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            let index = scalars.isEmpty ? 0 : Int.random(in: 0..<scalars.count, using: &rng)
            switch Int.random(in: 0..<7, using: &rng) {
            case 0 where !scalars.isEmpty:
                scalars[index] = randomScalar(&rng)
            case 1:
                scalars.insert(randomScalar(&rng), at: index)
            case 2 where !scalars.isEmpty:
                scalars.removeSubrange(index..<min(scalars.count, index + Int.random(in: 1...8, using: &rng)))
            case 3 where !scalars.isEmpty:
                // Repeat a slice: deepens nesting and backrefs.
                let slice = scalars[index..<min(scalars.count, index + Int.random(in: 1...12, using: &rng))]
                for _ in 0..<Int.random(in: 1...20, using: &rng) { scalars.insert(contentsOf: slice, at: index) }
            case 4:
                scalars = Array(scalars.prefix(index))
            case 5:
                let other = Array(seeds.randomElement(using: &rng)!.unicodeScalars)
                scalars.insert(contentsOf: other.dropFirst(Int.random(in: 0...other.count, using: &rng)), at: index)
            default:
                // Digits change lengths and backref targets the most.
                scalars.insert(contentsOf: String(Int.random(in: 0...300, using: &rng)).unicodeScalars, at: index)
            }
        }
        var output = ""
        output.unicodeScalars.append(contentsOf: scalars)
        return output
    }

    /// `DEMANGLE_FUZZ_SEED` and `DEMANGLE_FUZZ_COUNT` allow longer runs by hand.
    static let environment = ProcessInfo.processInfo.environment
    static let seed = environment["DEMANGLE_FUZZ_SEED"].flatMap { UInt64($0) } ?? 0x6C77_7073_636F_7065
    static let count = environment["DEMANGLE_FUZZ_COUNT"].flatMap { Int($0) } ?? 10_000

    static func inputs(count: Int) -> [String] {
        var rng = SeededGenerator(seed: seed)
        return (0..<count).map { index in
            if index % 4 == 0 {
                var text = prefixes.randomElement(using: &rng)!
                for _ in 0..<Int.random(in: 0...120, using: &rng) { text.unicodeScalars.append(randomScalar(&rng)) }
                return text
            }
            return mutate(seeds.randomElement(using: &rng)!, &rng)
        }
    }

    @Test func tenThousandNamesNeitherCrashNorHang() {
        let inputs = Self.inputs(count: Self.count)
        let clock = ContinuousClock()
        var slowest: Duration = .zero
        var slowestInput = ""
        var demangledByScheme: [ManglingScheme: Int] = [:]
        let start = clock.now
        for input in inputs {
            let before = clock.now
            let output = Demangler.demangleUncached(input)
            let elapsed = clock.now - before
            if elapsed > slowest { (slowest, slowestInput) = (elapsed, input) }

            #expect(output == input || (!output.isEmpty && !output.contains("\0")), "\(input)")
            if output != input { demangledByScheme[ManglingScheme.of(input), default: 0] += 1 }
        }
        let total = clock.now - start
        #expect(slowest < .seconds(1), "slowest: \(slowestInput)")
        #expect(total < .seconds(60) * max(1, Self.count / 10_000))
        // The mutations must reach the printers, not just the front doors.
        for scheme in [ManglingScheme.itanium, .rustLegacy, .rustV0, .swift] {
            #expect(demangledByScheme[scheme, default: 0] > 10, "\(scheme): \(demangledByScheme)")
        }
    }

    @Test func cachedAnswersMatchFreshOnes() {
        for input in Self.inputs(count: 2_000) {
            #expect(Demangler.demangle(input) == Demangler.demangleUncached(input))
        }
    }
}
