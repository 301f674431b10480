import ELF

/// One row of a line table, as `DebugInfo.lineTables(namingFile:)` hands it out.
public struct LineTableRow: Sendable, Equatable {
    public var address: FileAddress
    /// Index into the listing's `files`.
    public var file: Int
    public var line: Int
    public var isStatement: Bool
}

/// One line table: its files (full paths, gdb's "fullname") and its rows,
/// each sequence in the order the program emitted them.
public struct LineTableListing: Sendable {
    public var files: [String]
    public var sequences: [[LineTableRow]]
}

extension DebugInfo {
    /// The line tables that name a file `wanted` accepts, whole: lookups by
    /// address never go from a line to its addresses, which FILE:LINE needs.
    /// `wanted` sees every file name of every table, so a caller can also
    /// collect names close to what it looks for. Read afresh, not cached: a
    /// user's request runs this once, and the rows of a libc would stay.
    public func lineTables(namingFile wanted: (String) -> Bool) -> [LineTableListing] {
        var listings: [LineTableListing] = []
        var seen: Set<Int> = []
        func add(_ header: LineProgramHeader) {
            guard seen.insert(header.offset).inserted else { return }
            // Every name is offered, even after one matched.
            let accepted = header.files.reduce(false) { wanted($1) || $0 }
            guard accepted else { return }
            let (rows, sequences) = LineProgram.run(header, sections.line)
            listings.append(LineTableListing(
                files: header.files,
                sequences: sequences.map { sequence in
                    rows[sequence.rows].map { row in
                        LineTableRow(address: FileAddress(row.address), file: Int(row.file), line: Int(row.line), isStatement: row.isStmt)
                    }
                }))
        }
        let units = UnitDirectory(info: sections.info).units
        for header in units where header.unitType == DWUnitType.compile || header.unitType == DWUnitType.partial {
            guard let unit = unit(at: header.offset), let offset = unit.lineTableOffset else { continue }
            let context = LineProgramHeader.UnitContext(compDir: unit.compDir, unitName: unit.name, unit: unit,
                                                        addressSize: unit.header.addressSize)
            if let table = try? LineProgramHeader(sections, at: offset, context: context) { add(table) }
        }
        // Without units (or none usable), the tables one after another, as for lookups.
        if units.isEmpty {
            var offset = 0
            while offset < sections.line.count {
                guard let table = try? LineProgramHeader(sections, at: offset, context: LineProgramHeader.UnitContext()),
                      table.programEnd > offset else { break }
                add(table)
                offset = table.programEnd
            }
        }
        return listings
    }
}
