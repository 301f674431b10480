import Testing
@testable import DWARF
import ELF
import TestSupport
import Unwind

/// The location expression machine by itself: what each kind of location
/// gives, and that damaged bytes (cut short, random, looping, overflowing)
/// end in an error, never a trap or a hang.
@Suite struct LocationExpressionTests {
    static let stack = SnapshotMemory(base: 0x7000, bytes: (0 ..< 64).map { UInt8($0) })

    static func context(_ registers: UnwindRegisters = .x86_64(rip: 0x1000, rsp: 0x7000, rbx: 0x33),
                        entry: @escaping (Int) -> UInt64? = { _ in nil }) -> LocationExpression.Context {
        var frame = ArgumentFrame(registers: registers, cfa: 0x7010, memory: stack, entryValue: entry)
        frame.registers[5] = 0x55
        return LocationExpression.Context(frame: frame, frameBase: 0x7020, addressBias: 0x10000)
    }

    static func evaluate(_ bytes: [UInt8], _ context: LocationExpression.Context = context()) throws(LocationError) -> [LocatedPiece] {
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(LocationError) -> [LocatedPiece] in try LocationExpression.evaluate(raw, context) }
        }
        return try result.get()
    }

    @Test func eachKindOfLocation() throws {
        #expect(try Self.evaluate([0x55]) == [LocatedPiece(location: .register(5), size: nil)])
        #expect(try Self.evaluate([0x90, 0x21]) == [LocatedPiece(location: .register(33), size: nil)])
        // DW_OP_breg7 8: memory at rsp + 8.
        #expect(try Self.evaluate([0x77, 0x08]) == [LocatedPiece(location: .memory(0x7008), size: nil)])
        // DW_OP_fbreg -16 against the frame base; DW_OP_call_frame_cfa.
        #expect(try Self.evaluate([0x91, 0x70]) == [LocatedPiece(location: .memory(0x7010), size: nil)])
        #expect(try Self.evaluate([0x9c]) == [LocatedPiece(location: .memory(0x7010), size: nil)])
        // DW_OP_lit3 DW_OP_lit4 DW_OP_mul DW_OP_stack_value.
        #expect(try Self.evaluate([0x33, 0x34, 0x1e, 0x9f]) == [LocatedPiece(location: .value(12), size: nil)])
        // DW_OP_breg3 0 DW_OP_lit1 DW_OP_plus DW_OP_stack_value: rbx + 1.
        #expect(try Self.evaluate([0x73, 0x00, 0x31, 0x22, 0x9f]) == [LocatedPiece(location: .value(0x34), size: nil)])
        // DW_OP_addr is relocated by the module's bias.
        #expect(try Self.evaluate([0x03, 0x50, 0x40, 0, 0, 0, 0, 0, 0]) == [LocatedPiece(location: .memory(0x14050), size: nil)])
        // DW_OP_implicit_value 2 bytes.
        #expect(try Self.evaluate([0x9e, 0x02, 0xab, 0xcd]) == [LocatedPiece(location: .implicit([0xab, 0xcd]), size: nil)])
        // Pieces: rdi for 4 bytes, nothing for 4, memory for 8.
        #expect(try Self.evaluate([0x55, 0x93, 0x04, 0x93, 0x04, 0x77, 0x00, 0x93, 0x08]) == [
            LocatedPiece(location: .register(5), size: 4), LocatedPiece(location: .optimizedOut, size: 4),
            LocatedPiece(location: .memory(0x7000), size: 8),
        ])
        // DW_OP_deref reads the frame's memory.
        #expect(try Self.evaluate([0x77, 0x08, 0x06, 0x9f]) == [LocatedPiece(location: .value(0x0f0e0d0c0b0a0908), size: nil)])
    }

    @Test func entryValuesComeFromTheCaller() throws {
        let context = Self.context { $0 == 4 ? 1234 : nil }
        // DW_OP_entry_value(DW_OP_reg4) DW_OP_stack_value
        #expect(try Self.evaluate([0xa3, 0x01, 0x54, 0x9f], context) == [LocatedPiece(location: .value(1234), size: nil)])
        #expect(try Self.evaluate([0xf3, 0x01, 0x54, 0x31, 0x22, 0x9f], context) == [LocatedPiece(location: .value(1235), size: nil)])
        #expect(throws: LocationError.self) { try Self.evaluate([0xa3, 0x01, 0x55, 0x9f], context) }
    }

    @Test func unknownRegistersAreErrorsNotStaleValues() {
        // r11 (DWARF 11) is not among the recovered registers.
        #expect(throws: LocationError.self) { try Self.evaluate([0x7b, 0x00]) }
        var context = Self.context()
        context.frame.cfa = nil
        context.frameBase = nil
        #expect(throws: LocationError.self) { try Self.evaluate([0x9c], context) }
        #expect(throws: LocationError.self) { try Self.evaluate([0x91, 0x00], context) }
    }

    @Test func damagedExpressionsEndInErrors() {
        // Every cut of a valid expression: an error or a location, never a trap.
        let valid: [UInt8] = [0x03, 1, 2, 3, 4, 5, 6, 7, 8, 0x9e, 0x02, 1, 2, 0x93, 0x02, 0xa3, 0x02, 0x90, 0x05, 0x9f]
        for cut in 0 ... valid.count { _ = try? Self.evaluate(Array(valid.prefix(cut))) }
        // A branch to itself forever stops at the step bound.
        #expect(throws: LocationError.self) { try Self.evaluate([0x2f, 0xfd, 0xff]) }
        // Pushes past the stack bound.
        #expect(throws: LocationError.self) { try Self.evaluate([UInt8](repeating: 0x30, count: 100)) }
        // Lengths larger than the block.
        #expect(throws: LocationError.self) { try Self.evaluate([0x9e, 0xff, 0xff, 0x03]) }
        #expect(throws: LocationError.self) { try Self.evaluate([0xa3, 0x7f, 0x55]) }
        #expect(throws: LocationError.self) { try Self.evaluate([0x93, 0x00]) }
        #expect(throws: LocationError.self) { try Self.evaluate([0x31, 0x30, 0x1b]) }  // division by zero
        #expect(throws: LocationError.self) { try Self.evaluate([0x55, 0x31]) }  // an op after a register
        var random = SplitMix64(seed: 18)
        for _ in 0 ..< 20_000 {
            let length = Int(random.next() % 24)
            let bytes = (0 ..< length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            _ = try? Self.evaluate(bytes)
        }
    }
}
