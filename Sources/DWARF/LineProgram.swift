import ELF

/// One row of the line number matrix, as compact as lookups allow.
struct LineRow: Sendable {
    var address: UInt64
    var line: UInt32
    var file: UInt32
    var isStmt: Bool
}

/// A run of rows over contiguous addresses, ended by DW_LNE_end_sequence.
struct LineSequence: Sendable {
    var start: UInt64
    var end: UInt64
    /// Indices into the table's row array.
    var rows: Range<Int>
}

/// Runs a line number program (DWARF 2-5 opcodes) and collects its sequences.
enum LineProgram {
    /// Bounds the rows of one table so garbage cannot exhaust memory.
    static let maxRows = 1 << 24

    static func run(_ header: LineProgramHeader, _ section: UnsafeRawBufferPointer) -> (rows: [LineRow], sequences: [LineSequence]) {
        var rows: [LineRow] = []
        var sequences: [LineSequence] = []
        var r = ByteReader(section, offset: header.programStart)
        let end = min(header.programEnd, section.count)
        let minLength = UInt64(header.minimumInstructionLength)
        let lineRange = UInt64(header.lineRange)
        let opcodeBase = header.opcodeBase

        var address: UInt64 = 0
        var line: Int64 = 1
        var file: UInt64 = 1
        var isStmt = header.defaultIsStmt
        var sequenceStart = rows.count

        func reset() {
            address = 0
            line = 1
            file = 1
            isStmt = header.defaultIsStmt
        }
        func emit() {
            // gdb drops line 0 rows ("no source"), so the row before covers their addresses.
            guard line != 0, rows.count < maxRows else { return }
            rows.append(LineRow(address: address, line: UInt32(truncatingIfNeeded: max(0, line)),
                                file: UInt32(truncatingIfNeeded: file), isStmt: isStmt))
        }

        do throws(ByteReadError) {
            while r.offset < end {
                let opcode = try r.u8()
                if opcode >= opcodeBase {
                    let adjusted = UInt64(opcode - opcodeBase)
                    address &+= (adjusted / lineRange) &* minLength
                    line &+= Int64(header.lineBase) + Int64(adjusted % lineRange)
                    emit()
                    continue
                }
                switch opcode {
                case 0:
                    let length = try r.uleb128()
                    // The reader spans the whole section, so the length itself may end past
                    // this program's end; then end - r.offset is negative and UInt64() traps.
                    guard length > 0, r.offset < end, length <= UInt64(end - r.offset) else { return (rows, sequences) }
                    let next = r.offset + Int(length)
                    let extended = try r.u8()
                    switch extended {
                    case DWLineOpcode.endSequence:
                        // The end row is not a location: it only closes the sequence.
                        if rows.count > sequenceStart, let first = rows[sequenceStart...].first, address > first.address {
                            sequences.append(LineSequence(start: first.address, end: address, rows: sequenceStart ..< rows.count))
                        } else {
                            rows.removeSubrange(sequenceStart...)
                        }
                        sequenceStart = rows.count
                        reset()
                    case DWLineOpcode.setAddress:
                        let size = Int(length) - 1
                        guard size == 8 || size == 4 || size == 2 || size == 1 else { break }
                        address = try readAddress(size: UInt8(size), &r)
                    default:
                        // define_file (DWARF 2-4, unused by modern compilers), set_discriminator, vendor opcodes.
                        break
                    }
                    try r.seek(to: next)
                case DWLineOpcode.copy: emit()
                case DWLineOpcode.advancePC: address &+= try r.uleb128() &* minLength
                case DWLineOpcode.advanceLine: line &+= try r.sleb128()
                case DWLineOpcode.setFile: file = try r.uleb128()
                case DWLineOpcode.negateStmt: isStmt.toggle()
                case DWLineOpcode.constAddPC: address &+= (UInt64(255 - opcodeBase) / lineRange) &* minLength
                case DWLineOpcode.fixedAdvancePC: address &+= UInt64(try r.u16())
                default:
                    // set_column, set_isa and unknown standard opcodes: skip their operands.
                    let index = Int(opcode) - 1
                    let operands = index < header.standardOpcodeLengths.count ? header.standardOpcodeLengths[index] : 0
                    for _ in 0 ..< operands { _ = try r.uleb128() }
                }
            }
        } catch {
            // Truncated program: keep the sequences that ended cleanly.
        }
        rows.removeSubrange(sequenceStart...)
        return (rows, sequences)
    }
}
