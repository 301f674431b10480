import Instructions

/// Our decoder against objdump at each instruction objdump lists: the
/// length, the kind of control transfer, a relative branch's target, and a
/// RIP-relative operand's address (objdump prints it after `#`).
struct ObjdumpAgreement {
    var checked = 0
    var evexChecked = 0
    var ripRelativeChecked = 0
    var branchesChecked = 0
    var disagreements: [String] = []
    /// Where objdump departs from the SDM on purpose (by reason), in data
    /// that sits in .text: we follow the processor.
    var knownDifferences: [String: Int] = [:]

    init(_ listing: ObjdumpListing) {
        var runIndex = 0
        for line in listing.lines where !line.text.contains("(bad)") && !line.text.hasPrefix(".byte") {
            let bytes = Array(listing.bytes(from: line, runIndex: &runIndex))
            compare(line, bytes)
        }
    }

    private mutating func compare(_ line: ObjdumpListing.Line, _ bytes: [UInt8]) {
        let words = Self.significantWords(line.text)
        // objdump lists a REX or legacy prefix that another prefix follows
        // as an instruction of its own; the processor ignores such a REX
        // and takes the prefixes as part of the next instruction.
        if words.isEmpty { return knownDifference("prefix listed alone") }
        // objdump joins FWAIT (9B) to the x87 instruction after it (FSTENV
        // is documented as 9B D9 /6); they are two instructions.
        if line.bytes.first == 0x9B, line.bytes.count > 1,
            (try? InstructionDecoder.decode(bytes))?.length == 1,
            (try? InstructionDecoder.decode(Array(bytes.dropFirst())))?.length == line.bytes.count - 1
        {
            return knownDifference("FWAIT joined to the next instruction")
        }
        checked += 1
        let instruction: DecodedInstruction
        do {
            instruction = try InstructionDecoder.decode(bytes)
        } catch DecodingError.invalidOpcode(let offset) where [0xC4, 0xC5, 0x62, 0x8F].contains(bytes[offset]) {
            // REX, 66, F2, F3 or F0 before VEX/EVEX/XOP is #UD (SDM 2.3.2).
            checked -= 1
            return knownDifference("a prefix before VEX/EVEX, #UD")
        } catch {
            return disagree(line, "ours: \(error)")
        }
        guard instruction.length == line.bytes.count else {
            return disagree(line, "ours: \(instruction.length) bytes")
        }
        // Only prefixes precede an opcode, and 62 is none: four bytes before
        // the opcode it is the EVEX escape.
        if instruction.opcodeOffset >= 4, bytes[instruction.opcodeOffset - 4] == 0x62 { evexChecked += 1 }
        let mnemonic = words.first.map { String($0.split(separator: ",").first ?? $0) } ?? ""
        let operand = words.count > 1 ? words[1] : ""
        let expected = Self.kind(mnemonic: mnemonic, operand: operand)
        guard expected == instruction.kind else {
            return disagree(line, "ours: \(instruction.kind), objdump's: \(expected)")
        }
        if let target = instruction.relativeTarget(at: line.address), instruction.kind != .transactionBegin {
            branchesChecked += 1
            guard UInt64(operand, radix: 16) == target else {
                return disagree(line, "ours: target 0x\(String(target, radix: 16))")
            }
        }
        let objdumpRIPRelative = line.text.contains("(%rip)") || line.text.contains("(%eip)")
        guard objdumpRIPRelative == (instruction.ripDisplacement != nil) else {
            return disagree(line, "ours: RIP-relative \(instruction.ripDisplacement != nil)")
        }
        if let target = instruction.ripRelativeTarget(at: line.address) {
            ripRelativeChecked += 1
            let comment = line.text.split(separator: "#").last.flatMap { $0.split(separator: " ").first } ?? ""
            // EIP-relative addresses wrap at 4 GiB.
            let mask: UInt64 = instruction.hasAddressSizePrefix ? 0xFFFF_FFFF : ~0
            let ours = target & mask
            guard UInt64(comment, radix: 16).map({ $0 & mask }) == ours else {
                return disagree(line, "ours: RIP-relative operand at 0x\(String(ours, radix: 16))")
            }
        }
    }

    private mutating func knownDifference(_ reason: String) {
        knownDifferences[reason, default: 0] += 1
    }

    private mutating func disagree(_ line: ObjdumpListing.Line, _ what: String) {
        let hex = line.bytes.map { String($0, radix: 16) }.joined(separator: " ")
        disagreements.append("0x\(String(line.address, radix: 16)) [\(hex)] \(line.text) — \(what)")
    }

    /// objdump's words without the prefix names it prints before a mnemonic.
    static func significantWords(_ text: String) -> [Substring] {
        let prefixes: Set<Substring> = [
            "cs", "ds", "ss", "es", "fs", "gs", "data16", "addr32", "lock", "rep", "repz", "repnz", "repe", "repne",
            "bnd", "notrack", "xacquire", "xrelease",
        ]
        var words = text.split(whereSeparator: { $0 == " " || $0 == "\t" })[...]
        while let first = words.first, prefixes.contains(first) || first.hasPrefix("rex") { words.removeFirst() }
        return Array(words)
    }

    static let conditions: [String: UInt8] = [
        "jo": 0, "jno": 1, "jb": 2, "jae": 3, "je": 4, "jne": 5, "jbe": 6, "ja": 7,
        "js": 8, "jns": 9, "jp": 10, "jnp": 11, "jl": 12, "jge": 13, "jle": 14, "jg": 15,
    ]

    /// The kind objdump's text names.
    static func kind(mnemonic: String, operand: Substring) -> InstructionKind {
        switch mnemonic {
        case "jmp", "jmpw", "jmpq": return operand.hasPrefix("*") ? .indirectJump : .relativeJump
        case "ljmp", "ljmpw", "ljmpq": return .indirectJump
        case "call", "callw", "callq": return operand.hasPrefix("*") ? .indirectCall : .relativeCall
        case "lcall", "lcallw", "lcallq": return .farIndirectCall
        case "loop", "loope", "loopne", "jrcxz", "jecxz": return .loop
        case "ret", "retw", "retq": return .ret
        case "xbegin": return .transactionBegin
        default:
            if let condition = conditions[mnemonic] { return .conditionalJump(condition: condition) }
            return .other
        }
    }
}
