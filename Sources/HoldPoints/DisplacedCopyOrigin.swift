import Backtraces
import ELF
import Instructions

/// Which hold point a displaced copy was made for, found from the copy
/// alone: what another session's parked thread shows from outside, since its
/// pc stands at the copy in the scratch tail, not at the point.
///
/// A copy ends by going back to the instruction after the original (a `jmp
/// rel32`, or the return address a displaced call pushes), so the point is a
/// few bytes before one of those addresses. Each candidate is checked by
/// making its copy again from the file's bytes: only the point's own matches.
/// A displaced `jmp` never goes back, and is not found.
public enum DisplacedCopyOrigin {
    /// - copy: the bytes at `copyAddress` (up to `DisplacedCopy.maximumLength`).
    /// - original: the file's code at an address (at least one instruction), nil outside a file.
    /// - isTrap: whether the process's code holds the trap byte there now.
    public static func point(
        ofCopy copy: [UInt8], at copyAddress: UInt64,
        original: (UInt64) -> [UInt8]?, isTrap: (UInt64) -> Bool
    ) -> UInt64? {
        for next in returnAddresses(in: copy, at: copyAddress) {
            for length in 1...InstructionDecoder.maximumLength {
                let (candidate, borrow) = next.subtractingReportingOverflow(UInt64(length))
                guard !borrow, let bytes = original(candidate),
                      let remade = try? Displacement.copy(of: bytes, at: candidate, to: copyAddress),
                      remade.instructionLength == length, copy.starts(with: remade.code),
                      isTrap(candidate) else { continue }
                return candidate
            }
        }
        return nil
    }

    /// Every `jmp rel32` target and hand-pushed return address in the copy.
    static func returnAddresses(in copy: [UInt8], at copyAddress: UInt64) -> [UInt64] {
        var found: [UInt64] = []
        func int32(at index: Int) -> Int32 {
            Int32(bitPattern: UInt32(copy[index]) | UInt32(copy[index + 1]) << 8 | UInt32(copy[index + 2]) << 16 | UInt32(copy[index + 3]) << 24)
        }
        func uint32(at index: Int) -> UInt64 { UInt64(UInt32(bitPattern: int32(at: index))) }
        for index in copy.indices where copy[index] == 0xE9 && index + 5 <= copy.count {
            found.append(copyAddress &+ UInt64(index + 5) &+ UInt64(bitPattern: Int64(int32(at: index + 1))))
        }
        // lea rsp, [rsp-8]; mov dword [rsp], low; mov dword [rsp+4], high
        let push: [UInt8] = [0x48, 0x8D, 0x64, 0x24, 0xF8, 0xC7, 0x04, 0x24]
        if copy.starts(with: push), copy.count >= 20, copy[12 ..< 16].elementsEqual([0xC7, 0x44, 0x24, 0x04]) {
            found.insert(uint32(at: 8) | uint32(at: 16) << 32, at: 0)
        }
        return found
    }
}

extension DisplacedCopyOrigin {
    /// The file's bytes of the code at `address` (up to one instruction's
    /// worth), from the module mapped there; nil outside a file's code.
    public static func fileCode(at address: RuntimeAddress, in space: AddressSpace) -> [UInt8]? {
        guard let region = space.region(containing: address), let elf = region.module?.elf else { return nil }
        let fileAddress = region.loadBias.fileAddress(of: address)
        for segment in elf.programHeaders where segment.type == .load && segment.flags.contains(.execute) {
            guard fileAddress >= segment.vaddr else { continue }
            let into = fileAddress.offset(from: segment.vaddr)
            guard into < segment.filesz, segment.offset <= UInt64(elf.bytes.count),
                  segment.filesz <= UInt64(elf.bytes.count) - segment.offset else { continue }
            let start = Int(segment.offset + into)
            let end = min(start + InstructionDecoder.maximumLength, Int(segment.offset + segment.filesz))
            return Array(elf.bytes[start ..< end])
        }
        return nil
    }
}
