import HoldPoints
import Instructions
import Testing

/// Finding a point from its displaced copy, as `graph` does for a thread
/// another session parked: each kind of first instruction, and the answers
/// that must be nil.
@Suite struct DisplacedCopyOriginTests {
    let point: UInt64 = 0x5555_5555_1080
    let copyAddress: UInt64 = 0x5555_5555_2a30

    /// The file's code: `instruction` at the point, nops around it.
    func file(_ instruction: [UInt8]) -> (UInt64) -> [UInt8]? {
        let base = point - 32
        let code = [UInt8](repeating: 0x90, count: 32) + instruction + [UInt8](repeating: 0x90, count: 32)
        return { address in
            guard address >= base, address < base + UInt64(code.count) else { return nil }
            return Array(code[Int(address - base)...].prefix(15))
        }
    }

    func origin(of instruction: [UInt8], trapAt trap: UInt64? = nil) throws -> UInt64? {
        let copy = try Displacement.copy(of: instruction + [0x90, 0x90], at: point, to: copyAddress)
        return DisplacedCopyOrigin.point(
            ofCopy: copy.code + [0xCC, 0x00, 0x00], at: copyAddress, original: file(instruction),
            isTrap: { $0 == (trap ?? point) })
    }

    @Test(arguments: [
        [0x55],                                      // push rbp
        [0xF3, 0x0F, 0x1E, 0xFA],                    // endbr64
        [0x48, 0x83, 0xEC, 0x28],                    // sub rsp, 0x28
        [0x48, 0x8D, 0x05, 0x10, 0x20, 0x00, 0x00],  // lea rax, [rip+0x2010]
        [0xE8, 0x00, 0x01, 0x00, 0x00],              // call rel32
        [0x74, 0x10],                                // je rel8
        [0x8B, 0x05, 0xF0, 0x0F, 0x00, 0x00],        // mov eax, [rip+0xff0]
    ] as [[UInt8]])
    func thePointIsFoundFromItsCopy(_ instruction: [UInt8]) throws {
        #expect(try origin(of: instruction) == point)
    }

    @Test func withoutTheTrapInPlaceThereIsNoPoint() throws {
        #expect(try origin(of: [0x55], trapAt: point + 1) == nil)
    }

    @Test func aCopyMadeForAnotherInstructionIsNotTaken() throws {
        // The copy of `sub rsp, 0x28` over a file whose point holds `sub rsp, 0x30`.
        let copy = try Displacement.copy(of: [0x48, 0x83, 0xEC, 0x28], at: point, to: copyAddress)
        let found = DisplacedCopyOrigin.point(
            ofCopy: copy.code, at: copyAddress, original: file([0x48, 0x83, 0xEC, 0x30]), isTrap: { _ in true })
        #expect(found == nil)
    }

    @Test func aDisplacedJumpNeverGoesBackAndIsNotFound() throws {
        #expect(try origin(of: [0xEB, 0x10]) == nil)
    }
}
