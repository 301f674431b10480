#if canImport(Glibc)
import Glibc
#endif

extension ELFFile {
    /// The merged .symtab + .dynsym table, built on first access and cached
    /// (the error too, if the tables are malformed).
    public var symbols: SymbolTable {
        get throws(ELFError) {
            let result: Result<SymbolTable, ELFError> = symbolCache.withLock { cached in
                if let cached { return cached }
                let fresh: Result<SymbolTable, ELFError>
                do throws(ELFError) {
                    fresh = .success(try loadSymbols())
                } catch {
                    fresh = .failure(error)
                }
                cached = fresh
                return fresh
            }
            return try result.get()
        }
    }

    private static let symbolEntrySize = 24

    private func loadSymbols() throws(ELFError) -> SymbolTable {
        var records: [SymbolTable.Record] = []
        var strings: [StringTable] = []
        // .symtab first: in unstripped files it is a superset of .dynsym. The
        // gABI allows one table of each type; extra ones (corrupt files) are ignored.
        let tables = [SectionType.symbolTable, .dynamicSymbolTable].compactMap { type in sections.first { $0.type == type } }
        for table in tables where table.size > 0 {
            let headerAt = Int(clamping: header.sectionHeaderOffset) &+ table.index &* Int(header.sectionHeaderEntrySize)
            guard table.entsize == UInt64(ELFFile.symbolEntrySize) else {
                throw .malformed(offset: headerAt, what: "symbol table \(table.name) entry size \(table.entsize) (expected 24)")
            }
            guard Int(table.link) < sections.count, table.link != 0,
                  sections[Int(table.link)].type == .stringTable else {
                throw .malformed(offset: headerAt, what: "symbol table \(table.name) links to section \(table.link), not a string table")
            }
            let names = try dataAndOwner(of: sections[Int(table.link)])
            let entries = try data(of: table)
            let stringTable = StringTable(owner: names.owner, bytes: names.bytes)
            strings.append(stringTable)
            try appendDefinedSymbols(from: entries, fileOffset: Int(clamping: table.offset), names: stringTable.bytes,
                                     stringTable: UInt8(strings.count - 1), into: &records)
        }
        sortAndDeduplicate(&records, strings: strings)
        return SymbolTable(sortedRecords: records, strings: strings)
    }

    /// Keeps only what a symbolizer wants: defined FUNC, IFUNC and OBJECT
    /// symbols, plus NOTYPE ones that sit in code (assembly entry points).
    private func appendDefinedSymbols(from entries: UnsafeRawBufferPointer, fileOffset: Int, names: UnsafeRawBufferPointer,
                                      stringTable: UInt8, into records: inout [SymbolTable.Record]) throws(ELFError) {
        let count = entries.count / ELFFile.symbolEntrySize
        guard count > 1 else { return }
        records.reserveCapacity(records.count + count - 1)
        for i in 1 ..< count {  // entry 0 is the reserved null symbol
            let at = i * ELFFile.symbolEntrySize
            let info = entries.load(fromByteOffset: at + 4, as: UInt8.self)
            let sectionIndex = UInt16(littleEndian: entries.loadUnaligned(fromByteOffset: at + 6, as: UInt16.self))
            guard sectionIndex != 0 else { continue }  // SHN_UNDEF: defined elsewhere
            switch info >> 4 {
            case 0, 1, 2, 10: break  // LOCAL, GLOBAL, WEAK, GNU_UNIQUE
            default: continue
            }
            switch info & 0xf {
            case 1, 2, 10: break  // OBJECT, FUNC, GNU_IFUNC
            case 0:               // NOTYPE: only labels in executable sections
                guard Int(sectionIndex) < sections.count, sections[Int(sectionIndex)].isExecutable else { continue }
            default: continue     // SECTION, FILE, COMMON, TLS, ...
            }
            let nameOffset = UInt32(littleEndian: entries.loadUnaligned(fromByteOffset: at, as: UInt32.self))
            guard Int(nameOffset) < names.count else {
                throw .malformed(offset: fileOffset + at, what: "symbol \(i) name offset \(nameOffset) beyond string table of \(names.count) bytes")
            }
            records.append(SymbolTable.Record(
                value: UInt64(littleEndian: entries.loadUnaligned(fromByteOffset: at + 8, as: UInt64.self)),
                size: UInt64(littleEndian: entries.loadUnaligned(fromByteOffset: at + 16, as: UInt64.self)),
                nameOffset: nameOffset,
                sectionIndex: sectionIndex,
                info: info,
                stringTable: stringTable))
        }
    }

    /// Sorts by address, then best alias first (see `SymbolTable`), and drops
    /// entries duplicated between .symtab and .dynsym (identical neighbours
    /// after sorting, since the name is the last key).
    private func sortAndDeduplicate(_ records: inout [SymbolTable.Record], strings: [StringTable]) {
        // Addresses first with a cheap comparison, then only runs of aliases
        // with the full rule: same order, far fewer name comparisons.
        records = records.sortedByAddress()
        var start = 0
        while start < records.count {
            var end = start + 1
            while end < records.count, records[end].value == records[start].value { end += 1 }
            if end - start > 1 {
                records[start ..< end].sort { SymbolOrder.precedes($0, $1, strings: strings) }
            }
            start = end
        }
        guard records.count > 1 else { return }
        var kept = 1
        for i in 1 ..< records.count {
            let r = records[i], last = records[kept - 1]
            if r.value == last.value, r.size == last.size, r.info == last.info, SymbolOrder.compareNames(r, last, strings: strings) == 0 {
                continue
            }
            records[kept] = r
            kept += 1
        }
        records.removeLast(records.count - kept)
    }
}

/// The one ordering rule for symbols: address, then best alias first.
enum SymbolOrder {
    static func precedes(_ a: SymbolTable.Record, _ b: SymbolTable.Record, strings: [StringTable]) -> Bool {
        if a.value != b.value { return a.value < b.value }
        if a.bindingRank != b.bindingRank { return a.bindingRank < b.bindingRank }
        if a.isObject != b.isObject { return !a.isObject }
        if a.size != b.size { return a.size > b.size }
        let na = strings[Int(a.stringTable)].cString(at: a.nameOffset)
        let nb = strings[Int(b.stringTable)].cString(at: b.nameOffset)
        let ua = leadingUnderscores(na), ub = leadingUnderscores(nb)
        if ua != ub { return ua < ub }
        return strcmp(na, nb) < 0
    }

    /// Byte-wise (strcmp) order of two records' names.
    static func compareNames(_ a: SymbolTable.Record, _ b: SymbolTable.Record, strings: [StringTable]) -> Int32 {
        strcmp(strings[Int(a.stringTable)].cString(at: a.nameOffset), strings[Int(b.stringTable)].cString(at: b.nameOffset))
    }

    private static func leadingUnderscores(_ name: UnsafePointer<CChar>) -> Int {
        var n = 0
        while name[n] == CChar(UInt8(ascii: "_")) { n += 1 }  // stops at the NUL at the latest
        return n
    }
}
