import Instructions
import Testing

/// The exact code of displaced copies, and the instructions they refuse.
@Suite struct CopyShapeTests {
    let original: UInt64 = 0x40_1000
    let copyAddress: UInt64 = 0x50_0000

    private func jump(from end: UInt64, to target: UInt64) -> [UInt8] { rel32(from: end, to: target) }

    @Test func conditionalJumpRel8() throws {
        let copy = try Displacement.copy(of: [0x74, 0x06, 0xCC], at: original, to: copyAddress)
        #expect(copy.instructionLength == 2)
        #expect(copy.code == [0x0F, 0x84] + rel32(from: copyAddress + 6, to: original + 8)
            + [0xE9] + rel32(from: copyAddress + 11, to: original + 2))
    }

    @Test func jumpDropsItsPrefixes() throws {
        // bnd jmp rel32
        let copy = try Displacement.copy(of: [0xF2, 0xE9, 0x10, 0, 0, 0], at: original, to: copyAddress)
        #expect(copy.code == [0xE9] + rel32(from: copyAddress + 5, to: original + 6 + 0x10))
    }

    @Test func callPushesTheOriginalReturnAddress() throws {
        let high: UInt64 = 0x7F12_0000_0000
        let copy = try Displacement.copy(of: [0xE8, 0x00, 0x10, 0, 0], at: high + 0x1000, to: high + 0x9000)
        #expect(copy.code == [0x48, 0x8D, 0x64, 0x24, 0xF8, 0xC7, 0x04, 0x24, 0x05, 0x10, 0, 0, 0xC7, 0x44, 0x24, 0x04, 0x12, 0x7F, 0, 0, 0xE9]
            + rel32(from: high + 0x9000 + 25, to: high + 0x1005 + 0x1000))
    }

    @Test func loopKeepsItsPrefixAndJumpsOverTheWayBack() throws {
        let copy = try Displacement.copy(of: [0x67, 0xE2, 0xFE], at: original, to: copyAddress)
        #expect(copy.code == [0x67, 0xE2, 0x05, 0xE9] + rel32(from: copyAddress + 8, to: original + 3)
            + [0xE9] + rel32(from: copyAddress + 13, to: original + 1))
    }

    @Test func ripRelativeCountsFromPastTheImmediate() throws {
        // cmp byte [rip+0x100], 0x42
        let copy = try Displacement.copy(of: [0x80, 0x3D, 0x00, 0x01, 0, 0, 0x42], at: original, to: copyAddress)
        #expect(copy.code == [0x80, 0x3D] + rel32(from: copyAddress + 7, to: original + 7 + 0x100) + [0x42]
            + [0xE9] + rel32(from: copyAddress + 12, to: original + 7))
    }

    @Test func evexRipRelativeIsRelocated() throws {
        let copy = try Displacement.copy(of: [0x62, 0xF1, 0x7C, 0x48, 0x28, 0x05, 0x40, 0, 0, 0], at: original, to: copyAddress)
        #expect(Array(copy.code[..<10]) == [0x62, 0xF1, 0x7C, 0x48, 0x28, 0x05] + rel32(from: copyAddress + 10, to: original + 10 + 0x40))
    }

    @Test func indirectCallBecomesPushAndJump() throws {
        // call [rip+0x20] → push; jmp [rip+d']
        let copy = try Displacement.copy(of: [0xFF, 0x15, 0x20, 0, 0, 0], at: original, to: copyAddress)
        #expect(copy.code.count == 26)
        #expect(Array(copy.code[20...]) == [0xFF, 0x25] + rel32(from: copyAddress + 26, to: original + 6 + 0x20))
        // call [r12] and call r12 are not rsp.
        #expect(throws: Never.self) { try Displacement.copy(of: [0x41, 0xFF, 0x14, 0x24], at: original, to: copyAddress) }
        #expect(throws: Never.self) { try Displacement.copy(of: [0x41, 0xFF, 0xD4], at: original, to: copyAddress) }
        #expect(throws: Never.self) { try Displacement.copy(of: [0xFF, 0x14, 0x25, 0, 0x10, 0, 0], at: original, to: copyAddress) }
    }

    @Test(arguments: [
        [0xFF, 0x14, 0x24], [0xFF, 0x54, 0x24, 0x08], [0xFF, 0xD4], [0xFF, 0x94, 0x24, 0, 1, 0, 0],
    ] as [[UInt8]])
    func indirectCallThroughStackPointerIsRefused(_ bytes: [UInt8]) {
        #expect(throws: DisplacementError.self) { try Displacement.copy(of: bytes, at: original, to: copyAddress) }
        if case .unsupported = (Result { () throws(DisplacementError) in try Displacement.copy(of: bytes, at: original, to: copyAddress) }).failure {
        } else {
            Issue.record("expected .unsupported for \(bytes)")
        }
    }

    @Test func refusals() {
        func failure(_ bytes: [UInt8], at from: UInt64, to: UInt64) -> DisplacementError? {
            do throws(DisplacementError) {
                _ = try Displacement.copy(of: bytes, at: from, to: to)
                return nil
            } catch { return error }
        }
        let far: UInt64 = 0x7FFF_0000_0000
        #expect(failure([0xC7, 0xF8, 0, 0, 0, 0], at: original, to: copyAddress).isUnsupported, "XBEGIN")
        #expect(failure([0xFF, 0x18], at: original, to: copyAddress).isUnsupported, "far call")
        #expect(failure([0x67, 0x8B, 0x05, 0, 0, 0, 0], at: original, to: copyAddress).isUnsupported, "EIP-relative")
        #expect(failure([0x48, 0x8D, 0x05, 0, 0, 0, 0], at: original, to: far) == .outOfReach(target: original + 7))
        #expect(failure([0xEB, 0x10], at: original, to: far) == .outOfReach(target: original + 0x12))
        #expect(failure([0x90], at: original, to: far) == .outOfReach(target: original + 1))
        #expect(failure([0x06], at: original, to: copyAddress) == .undecodable(bytes: [0x06]))
        #expect(failure([0xE8, 0], at: original, to: copyAddress) == .undecodable(bytes: [0xE8, 0]))
        // ret, indirect jmp: nothing after them.
        #expect((try? Displacement.copy(of: [0xC3], at: original, to: far))?.code == [0xC3])
        #expect((try? Displacement.copy(of: [0xFF, 0xE0], at: original, to: far))?.code == [0xFF, 0xE0])
        // Just within reach, and just beyond.
        let edge = original + 5 + 0x7FFF_FFFF
        #expect((try? Displacement.copy(of: [0xE9, 0, 0, 0, 0], at: original, to: edge - 0x7FFF_FFFF - 5)) != nil)
        // The jmp back ends at copy+6: its rel32 reaches copy+6+0x7FFFFFFF.
        let copy: UInt64 = 0x7F00_0000_0000
        #expect(failure([0x90], at: copy + 0x8000_0005, to: copy) == .outOfReach(target: copy + 0x8000_0006))
        #expect(failure([0x90], at: copy + 0x8000_0004, to: copy) == nil)
        #expect(failure([0x90], at: copy - 0x8000_0000 + 5, to: copy) == nil)
        #expect(failure([0x90], at: copy - 0x8000_0000 + 4, to: copy) == .outOfReach(target: copy - 0x8000_0000 + 5))
    }
}

extension Optional where Wrapped == DisplacementError {
    var isUnsupported: Bool {
        if case .unsupported = self { true } else { false }
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { error } else { nil }
    }
}
