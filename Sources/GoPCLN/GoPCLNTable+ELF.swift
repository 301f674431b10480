import ELF

extension GoPCLNTable {
    /// Sections only Go's linker writes: a binary without any is not Go, and
    /// its symbols are not searched for `runtime.pclntab`.
    static let goSectionNames = [".go.buildinfo", ".note.go.buildid", ".gopclntab", ".gosymtab"]

    /// The pclntab of a Go binary: the `.gopclntab` section, or where the
    /// `runtime.pclntab` symbol points (PIE builds put the table inside
    /// .data.rel.ro). Nil for a binary that is not Go; throws when the table
    /// is there but unreadable.
    public static func locate(in elf: ELFFile) throws(GoPCLNError) -> GoPCLNTable? {
        guard goSectionNames.contains(where: { elf.section(named: $0) != nil }) else { return nil }
        let symbols = try? elf.symbols
        let textStart = symbols.flatMap { firstAddress(of: "runtime.text", in: $0) }
            ?? elf.section(named: ".text")?.addr.rawValue
        if let section = elf.section(named: ".gopclntab") ?? elf.section(named: ".data.rel.ro.gopclntab"),
           let bytes = try? elf.data(of: section), bytes.count > 0 {
            return try table(bytes, at: section.addr.rawValue, in: elf, textStart: textStart)
        }
        guard let symbols, let start = firstAddress(of: "runtime.pclntab", in: symbols),
              let bytes = loadedBytes(of: elf, from: start, to: firstAddress(of: "runtime.epclntab", in: symbols))
        else { return nil }
        return try table(bytes, at: start, in: elf, textStart: textStart)
    }

    private static func table(_ bytes: UnsafeRawBufferPointer, at address: UInt64, in elf: ELFFile,
                              textStart: UInt64?) throws(GoPCLNError) -> GoPCLNTable {
        let header = try GoPCLNHeader(bytes)
        let functionData = GoModuleData.functionData(in: elf, tableAddress: address, header: header)
        return try GoPCLNTable(bytes: bytes, owner: elf, textStart: textStart, functionData: functionData)
    }

    private static func firstAddress(of name: String, in symbols: SymbolTable) -> UInt64? {
        symbols.symbols(named: name).first.map(\.value.rawValue)
    }

    /// The file's bytes from link address `start` to `end` (or to the end of
    /// the section holding `start`).
    private static func loadedBytes(of elf: ELFFile, from start: UInt64, to end: UInt64?) -> UnsafeRawBufferPointer? {
        guard let section = elf.sections.first(where: {
            $0.type != .nobits && $0.flags.contains(.alloc) && start >= $0.addr.rawValue && start - $0.addr.rawValue < $0.size
        }), let data = try? elf.data(of: section) else { return nil }
        let from = Int(start - section.addr.rawValue)
        var to = data.count
        if let end, end > start, end - section.addr.rawValue <= UInt64(data.count) { to = Int(end - section.addr.rawValue) }
        guard from < to, to <= data.count else { return nil }
        return UnsafeRawBufferPointer(rebasing: data[from..<to])
    }
}
