import Instructions
import Testing

/// Seeded random bytes through the decoder and the copier: no trap, no hang,
/// and what comes back holds together.
@Suite struct FuzzTests {
    /// SplitMix64: the same strings on every run.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func byte() -> UInt8 { UInt8(truncatingIfNeeded: next()) }
    }

    /// Starts that steer random bytes into every decoding path.
    static let leads: [[UInt8]] = [
        [], [0x66], [0x67], [0xF3], [0xF2], [0xF0], [0x48], [0x41], [0x66, 0x48], [0x2E, 0x3E, 0x64],
        [0x0F], [0x0F, 0x38], [0x0F, 0x3A], [0x0F, 0x0F], [0x66, 0x0F], [0xC4], [0xC5], [0x62], [0x8F],
        [0xE8], [0xE9], [0xEB], [0xE3], [0x67, 0xE2], [0x0F, 0x84], [0xFF], [0x41, 0xFF], [0xC7], [0xF6], [0xF7],
        [0x8B, 0x05], [0x80, 0x3D], [0xFF, 0x15], [0xFF, 0x14], [0x62, 0xF1, 0x7C, 0x48], [0xC4, 0xE3],
    ]

    @Test func randomBytes() throws {
        var random = Random(state: 0x15_1D_C0DE)
        var decoded = 0
        var copied = 0
        for iteration in 0..<200_000 {
            let lead = Self.leads[iteration % Self.leads.count]
            let bytes = lead + (0..<(15 - lead.count)).map { _ in random.byte() }
            let original = 0x5500_0000_0000 &+ (random.next() & 0xFFFF_FFFF)
            // Mostly within reach, sometimes not.
            let spread: UInt64 = iteration % 7 == 0 ? 0xFFFF_FFFF_FF : 0x3FFF_FFFF
            let copyAddress = 0x5500_0000_0000 &+ (random.next() & spread)
            guard let instruction = try? InstructionDecoder.decode(bytes) else {
                #expect(throws: DisplacementError.undecodable(bytes: bytes)) {
                    try Displacement.copy(of: bytes, at: original, to: copyAddress)
                }
                continue
            }
            decoded += 1
            try checkDecoding(instruction, bytes)
            let copy: DisplacedCopy
            do throws(DisplacementError) {
                copy = try Displacement.copy(of: bytes, at: original, to: copyAddress)
            } catch .undecodable {
                Issue.record("decodable but refused as undecodable: \(bytes)")
                continue
            } catch { continue }
            copied += 1
            for problem in CopyConsistency.problems(copy, of: instruction, bytes, at: original, to: copyAddress) {
                Issue.record(Comment(rawValue: problem))
            }
        }
        print("fuzz: \(decoded) of 200000 decoded, \(copied) copied")
        #expect(decoded > 100_000)
        #expect(copied > 80_000)
    }

    /// The length bounds what was read: the instruction's own bytes decode
    /// alike, one byte fewer is cut short.
    private func checkDecoding(_ instruction: DecodedInstruction, _ bytes: [UInt8]) throws {
        #expect((1...15).contains(instruction.length))
        let exact = Array(bytes[..<instruction.length])
        #expect(try InstructionDecoder.decode(exact) == instruction, "\(bytes)")
        #expect(throws: DecodingError.truncated) { try InstructionDecoder.decode(Array(exact.dropLast())) }
        if let modRM = instruction.modRMOffset { #expect(modRM > instruction.opcodeOffset && modRM < instruction.length) }
        if let displacement = instruction.ripDisplacement { #expect(displacement.offset + 4 <= instruction.length) }
        if let branch = instruction.relativeBranch { #expect(branch.offset + branch.size <= instruction.length) }
    }
}
