/// One unit's line number matrix, ready for address lookups.
struct LineTable: Sendable {
    let header: LineProgramHeader
    private let rows: [LineRow]
    private let sequences: [LineSequence]
    private let sequenceIndex: IntervalIndex<Int>

    init(header: LineProgramHeader, section: UnsafeRawBufferPointer) {
        self.header = header
        (rows, sequences) = LineProgram.run(header, section)
        sequenceIndex = IntervalIndex(sequences.enumerated().map { ($0.element.start, $0.element.end, $0.offset) })
    }

    /// Every sequence's address range, for indexing tables without a unit.
    var sequenceRanges: [Range<UInt64>] { sequences.map { $0.start ..< $0.end } }

    /// The file at `index` in this table's numbering (DW_LNS_set_file, DW_AT_call_file).
    func file(_ index: UInt64) -> String? {
        guard index < UInt64(header.files.count) else { return nil }
        let name = header.files[Int(index)]
        return name.isEmpty ? nil : name
    }

    /// The row gdb reports for `address`: the last row at the greatest address
    /// <= `address` in the sequence that covers it, except that a non-statement
    /// row yields to a statement row at the same address (gdb's find_pc_sect_line).
    func row(at address: UInt64) -> LineRow? {
        guard let sequenceNumber = sequenceIndex.first(covering: address) else { return nil }
        let range = sequences[sequenceNumber].rows
        // First row whose address is > address.
        var low = range.lowerBound, high = range.upperBound
        while low < high {
            let mid = (low + high) / 2
            if rows[mid].address <= address { low = mid + 1 } else { high = mid }
        }
        guard low > range.lowerBound else { return nil }
        var chosen = low - 1
        if !rows[chosen].isStmt {
            var candidate = chosen
            while candidate > range.lowerBound, rows[candidate - 1].address == rows[candidate].address,
                  rows[candidate - 1].line != 0, !rows[candidate].isStmt {
                candidate -= 1
            }
            if rows[candidate].isStmt { chosen = candidate }
        }
        return rows[chosen]
    }

    func location(at address: UInt64) -> SourceLocation? {
        guard let row = row(at: address), row.line != 0, let file = file(UInt64(row.file)) else { return nil }
        return SourceLocation(file: file, line: Int(row.line))
    }
}
