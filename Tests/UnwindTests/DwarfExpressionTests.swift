import ELF
import Testing
@testable import Unwind

@Suite struct DwarfExpressionTests {
    var regs: UnwindRegisters {
        var r = UnwindRegisters(architecture: .x86_64)
        r[7] = 0x7fff_0000  // rsp
        r[6] = 0x7fff_0100  // rbp
        r[16] = 0x40_1234   // rip
        return r
    }
    let memory: SnapshotMemory = {
        var s = StackBuilder(base: 0x7fff_0000, words: 64)
        s[0x7fff_0000] = 0x1122_3344_5566_7788
        s[0x7fff_0008] = 0xdead_beef
        return s.memory
    }()

    func eval(_ e: [UInt8], initial: UInt64? = nil) throws -> UInt64 {
        try DwarfExpression.evaluate(e, registers: regs, memory: memory, initial: initial)
    }
    func signed(_ e: [UInt8]) throws -> Int64 { Int64(bitPattern: try eval(e)) }

    func kind(_ e: [UInt8]) -> CFIError.Kind? {
        do { _ = try DwarfExpression.evaluate(e, registers: regs, memory: memory); return nil } catch { return error.kind }
    }

    @Test func literalsAndConstants() throws {
        #expect(try eval([0x30]) == 0)
        #expect(try eval([0x4f]) == 31)
        #expect(try eval([0x03, 1, 2, 3, 4, 5, 6, 7, 8]) == 0x0807_0605_0403_0201)
        #expect(try eval([0x08, 0xff]) == 255)
        #expect(try signed([0x09, 0xff]) == -1)
        #expect(try eval([0x0a, 0x34, 0x12]) == 0x1234)
        #expect(try signed([0x0b, 0xfe, 0xff]) == -2)
        #expect(try eval([0x0c, 0x78, 0x56, 0x34, 0x12]) == 0x1234_5678)
        #expect(try signed([0x0d, 0xfd, 0xff, 0xff, 0xff]) == -3)
        #expect(try eval([0x0e, 1, 0, 0, 0, 0, 0, 0, 0x80]) == 0x8000_0000_0000_0001)
        #expect(try eval([0x0f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]) == UInt64.max)
        #expect(try eval([0x10] + Bytes.uleb(624485)) == 624485)
        #expect(try signed([0x11] + Bytes.sleb(-123456)) == -123456)
    }

    @Test func stackOperations() throws {
        #expect(try eval([0x31, 0x12, 0x22]) == 2)                 // dup plus
        #expect(try eval([0x31, 0x32, 0x13]) == 1)                 // drop
        #expect(try eval([0x31, 0x32, 0x14]) == 1)                 // over
        #expect(try eval([0x31, 0x32, 0x33, 0x15, 2]) == 1)        // pick 2
        #expect(try eval([0x31, 0x32, 0x16]) == 1)                 // swap
        #expect(try eval([0x31, 0x32, 0x16, 0x13]) == 2)
        // rot: (1 2 3) -> (3 1 2), top is 2
        #expect(try eval([0x31, 0x32, 0x33, 0x17]) == 2)
        #expect(try eval([0x31, 0x32, 0x33, 0x17, 0x13]) == 1)
        #expect(try eval([0x31, 0x32, 0x33, 0x17, 0x13, 0x13]) == 3)
        #expect(try eval([0x96, 0x35]) == 5)                       // nop
    }

    @Test func arithmetic() throws {
        #expect(try eval([0x11] + Bytes.sleb(-7) + [0x19]) == 7)          // abs
        #expect(try eval([0x3c, 0x3a, 0x1a]) == 8)                        // 12 & 10
        #expect(try signed([0x11] + Bytes.sleb(-7) + [0x32, 0x1b]) == -3) // div signed
        #expect(try eval([0x3a, 0x33, 0x1c]) == 7)                        // minus
        #expect(try eval([0x3a, 0x33, 0x1d]) == 1)                        // mod
        #expect(try eval([0x36, 0x37, 0x1e]) == 42)                       // mul
        #expect(try signed([0x35, 0x1f]) == -5)                           // neg
        #expect(try eval([0x30, 0x20]) == UInt64.max)                     // not
        #expect(try eval([0x3c, 0x33, 0x21]) == 15)                       // or
        #expect(try eval([0x3c, 0x33, 0x22]) == 15)                       // plus
        #expect(try eval([0x31, 0x23] + Bytes.uleb(1000)) == 1001)        // plus_uconst
        #expect(try eval([0x31, 0x34, 0x24]) == 16)                       // shl
        #expect(try eval([0x11] + Bytes.sleb(-16) + [0x32, 0x25]) == 0x3fff_ffff_ffff_fffc) // shr
        #expect(try signed([0x11] + Bytes.sleb(-16) + [0x32, 0x26]) == -4)            // shra
        #expect(try eval([0x3c, 0x3a, 0x27]) == 6)                        // xor
        #expect(try eval([0x31, 0x08, 64, 0x24]) == 0)                    // shift past width
    }

    @Test func comparisonsAreSigned() throws {
        let minus1 = [0x11] + Bytes.sleb(-1)
        #expect(try eval(minus1 + [0x31, 0x2d]) == 1)   // -1 < 1
        #expect(try eval(minus1 + [0x31, 0x2b]) == 0)   // -1 > 1
        #expect(try eval([0x32, 0x32, 0x29]) == 1)      // eq
        #expect(try eval([0x32, 0x33, 0x2e]) == 1)      // ne
        #expect(try eval([0x33, 0x32, 0x2a]) == 1)      // ge
        #expect(try eval([0x32, 0x32, 0x2c]) == 1)      // le
        #expect(try eval([0x33, 0x32, 0x2c]) == 0)
    }

    @Test func branches() throws {
        // skip over a lit5: result is lit7
        #expect(try eval([0x2f, 0x01, 0x00, 0x35, 0x37]) == 7)
        // bra taken when non-zero, not taken when zero
        #expect(try eval([0x31, 0x28, 0x01, 0x00, 0x35, 0x37]) == 7)
        #expect(try eval([0x30, 0x28, 0x01, 0x00, 0x35]) == 5)
        // A count-down loop: 3 iterations of (lit1 minus, dup, bra back)
        let loop: [UInt8] = [0x33, 0x31, 0x1c, 0x12, 0x28, 0xfa, 0xff]
        #expect(try eval(loop) == 0)
    }

    @Test func registersAndMemory() throws {
        #expect(try eval([0x77, 0x08]) == 0x7fff_0008)                      // breg7 8
        #expect(try eval([0x76] + Bytes.sleb(-16)) == 0x7fff_00f0)          // breg6 -16
        #expect(try eval([0x92, 16, 0x00]) == 0x40_1234)                    // bregx rip 0
        #expect(try eval([0x77, 0x00, 0x06]) == 0x1122_3344_5566_7788)       // deref
        #expect(try eval([0x77, 0x00, 0x94, 4]) == 0x5566_7788)             // deref_size 4
        #expect(try eval([0x77, 0x00, 0x94, 1]) == 0x88)
        #expect(try eval([0x06], initial: 0x7fff_0008) == 0xdead_beef)       // initial CFA pushed
        #expect(kind([0x56]) == .registerLocationNotAllowed)                 // reg6
        #expect(try DwarfExpression.evaluate([0x56], registers: regs, memory: nil,
                                             allowRegisterLocations: true) == 0x7fff_0100)
        #expect(try DwarfExpression.evaluate([0x90, 7], registers: regs, memory: nil,
                                             allowRegisterLocations: true) == 0x7fff_0000)
        #expect(kind([0x73, 0x00]) == .registerUnavailable(3))               // rbx unknown
        #expect(kind([0x30, 0x06]) == .memoryReadFailed(0))
        #expect(kind([0x77, 0x00, 0x94, 9]) == .badLength(9))
    }

    /// The x86_64 PLT CFA: rsp + 8 + ((rip & 15) >= 11 ? 8 : 0).
    @Test func pltExpression() throws {
        let plt: [UInt8] = [0x77, 0x08, 0x80, 0x00, 0x3f, 0x1a, 0x3b, 0x2a, 0x33, 0x24, 0x22]
        var r = regs
        for low in UInt64(0)...15 {
            r[16] = 0x40_1000 + low
            let cfa = try DwarfExpression.evaluate(plt, registers: r, memory: nil)
            #expect(cfa == 0x7fff_0000 + 8 + (low >= 11 ? 8 : 0), "rip low nibble \(low)")
        }
        // Also through the interpreter as a CFA rule.
        let t = singleFDETable(instructions: CFA.defCFAExpression(plt))
        let row = try #require(try t.row(for: 0x1000))
        #expect(row.cfa == .expression(plt))
    }

    @Test func corruptExpressions() {
        #expect(kind([]) == .emptyStack)
        #expect(kind([0x12]) == .stackUnderflow)
        #expect(kind([0x22]) == .stackUnderflow)
        #expect(kind([0x31, 0x15, 5]) == .stackUnderflow)
        #expect(kind([0x31, 0x30, 0x1b]) == .divisionByZero)
        #expect(kind([0x31, 0x30, 0x1d]) == .divisionByZero)
        #expect(kind([0xff]) == .unknownOperation(0xff))
        #expect(kind([0x18]) == .unknownOperation(0x18))  // xderef unsupported
        #expect(kind(Array(repeating: 0x31, count: 65)) == .stackOverflow)
        // skip to itself forever: bounded
        #expect(kind([0x2f, 0xfd, 0xff]) == .tooManySteps)
        #expect(kind([0x2f, 0x10, 0x00]) == .badBranch(0x13))
        #expect(kind([0x2f, 0x00, 0x80]) == .badBranch(3 - 0x8000))
        if case .truncated = kind([0x0e, 1, 2]) {} else { Issue.record("truncated const8u") }
        if case .truncated = kind([0x10, 0x80, 0x80]) {} else { Issue.record("truncated uleb") }
        // An overlong sleb must not trap.
        #expect(kind([0x11] + Array(repeating: 0xff, count: 9) + [0x7f]) == nil)
        #expect(kind([0x11] + Array(repeating: 0xc0, count: 8) + [0x40]) == nil)
        // int64 min / -1 must not trap
        #expect(kind([0x0e, 0, 0, 0, 0, 0, 0, 0, 0x80, 0x11, 0x7f, 0x1b]) == nil)
    }
}
