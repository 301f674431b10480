import Instructions

/// What holds for every displaced copy, whatever the instruction: it
/// decodes into whole instructions, each branch in it lands on the
/// original's successor, the original's target or inside the copy, and each
/// RIP-relative operand in it addresses what the original's did.
enum CopyConsistency {
    static func problems(
        _ copy: DisplacedCopy, of instruction: DecodedInstruction, _ bytes: [UInt8], at original: UInt64, to copyAddress: UInt64
    ) -> [String] {
        var problems: [String] = []
        let name = bytes.prefix(instruction.length).map { String($0, radix: 16) }.joined(separator: " ")
        if copy.code.count > DisplacedCopy.maximumLength { problems.append("[\(name)]: \(copy.code.count) bytes of copy") }
        if copy.instructionLength != instruction.length { problems.append("[\(name)]: length \(copy.instructionLength)") }
        var allowedTargets: Set<UInt64> = [instruction.end(at: original)]
        if let target = instruction.relativeTarget(at: original) { allowedTargets.insert(target) }
        var offset = 0
        while offset < copy.code.count {
            let here = copyAddress + UInt64(offset)
            guard let piece = try? InstructionDecoder.decode(Array(copy.code[offset...])) else {
                problems.append("[\(name)]: the copy does not decode at +\(offset)")
                return problems
            }
            if let target = piece.relativeTarget(at: here) {
                let inside = target >= copyAddress && target < copyAddress + UInt64(copy.code.count)
                if !inside && !allowedTargets.contains(target) {
                    problems.append("[\(name)]: a branch in the copy to 0x\(String(target, radix: 16))")
                }
            }
            if let target = piece.ripRelativeTarget(at: here), target != instruction.ripRelativeTarget(at: original) {
                problems.append("[\(name)]: a RIP-relative operand in the copy at 0x\(String(target, radix: 16))")
            }
            offset += piece.length
        }
        return problems
    }
}
