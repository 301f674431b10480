import ELF

/// Finds x86_64 instructions whose memory operand is RIP-relative and points
/// into given ranges, without decoding instructions.
///
/// A RIP-relative operand is a ModRM byte with mod=00, rm=101 followed by a
/// 32-bit displacement from the end of the instruction; only an immediate
/// (0, 1, 2 or 4 bytes) can follow the displacement. So at every byte that
/// looks like such a ModRM, take the immediate size its opcode implies (see
/// `ImmediateSize`), or try each size for an opcode we do not know. A random
/// match must also hit a few-byte target out of 2^32, so false hits are
/// negligible.
struct RIPRelativeScan {
    /// Each carries the index of what it stands for; ranges may overlap.
    let targets: [(range: Range<FileAddress>, owner: Int)]
    private let low: FileAddress
    private let high: FileAddress

    init(targets: [(range: Range<FileAddress>, owner: Int)]) {
        self.targets = targets.filter { !$0.range.isEmpty }
        low = self.targets.map(\.range.lowerBound).min() ?? 0
        high = self.targets.map(\.range.upperBound).max() ?? 0
    }

    private static let immediateSizes = [0, 1, 2, 4]

    /// Calls `hit(modrmAddress, owner)` for each operand that lands in a target.
    func scan(_ block: CodeBlock, hit: (FileAddress, Int) -> Void) {
        let bytes = block.bytes
        guard !targets.isEmpty, bytes.count >= 5 else { return }
        var i = 0
        let last = bytes.count - 5
        while i <= last {
            if bytes[i] & 0xC7 == 0x05 {
                let disp = Int32(littleEndian: bytes.loadUnaligned(fromByteOffset: i + 1, as: Int32.self))
                let afterDisplacement = block.address + UInt64(i + 5) + UInt64(bitPattern: Int64(disp))
                // Cheap reject first: most candidates point nowhere near a flag.
                if afterDisplacement < high, afterDisplacement + 4 >= low {
                    if let size = ImmediateSize.at(i, in: bytes) {
                        // A known opcode: its immediate size, any byte of the flag.
                        report(afterDisplacement + UInt64(size), at: block.address + UInt64(i), exactStart: false, hit)
                    } else {
                        // Unknown encoding (VEX, ...): every size, but only the flag's first byte.
                        for size in Self.immediateSizes where i + 5 + size <= bytes.count {
                            report(afterDisplacement + UInt64(size), at: block.address + UInt64(i), exactStart: true, hit)
                        }
                    }
                }
            }
            i += 1
        }
    }

    // Few targets (a module's flags and their GOT slots): a linear pass is enough.
    @inline(__always)
    private func report(_ target: FileAddress, at address: FileAddress, exactStart: Bool, _ hit: (FileAddress, Int) -> Void) {
        for entry in targets where exactStart ? entry.range.lowerBound == target : entry.range.contains(target) {
            hit(address, entry.owner)
        }
    }
}
