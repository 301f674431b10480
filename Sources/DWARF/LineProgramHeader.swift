import ELF

/// The header of one line number program in .debug_line (versions 2 to 5):
/// the opcode parameters and the file table, with every file turned into a
/// full path the way gdb builds its "fullname".
struct LineProgramHeader: Sendable {
    let offset: Int
    let version: UInt16
    /// Where the opcodes start and end in .debug_line.
    let programStart: Int
    let programEnd: Int
    let addressSize: UInt8
    let minimumInstructionLength: UInt8
    let defaultIsStmt: Bool
    let lineBase: Int8
    let lineRange: UInt8
    let opcodeBase: UInt8
    /// Number of uleb128 arguments of each standard opcode, index 0 for opcode 1.
    let standardOpcodeLengths: [UInt8]
    /// Full paths, indexed the way DW_LNS_set_file and DW_AT_call_file count:
    /// from 0 in DWARF 5, from 1 before (slot 0 then holds the unit's own file).
    var files: [String]
    let includeDirectories: [String]
    let compDir: String?

    /// Context from the unit that owns the table: strings, bases, directories.
    struct UnitContext {
        var compDir: String?
        var unitName: String?
        var unit: CompilationUnit?
        var addressSize: UInt8 = 8
    }

    init(_ sections: DWARFSections, at offset: Int, context: UnitContext) throws(DWARFError) {
        var r = ByteReader(sections.line, offset: offset)
        self.offset = offset
        compDir = context.compDir
        do {
            let length = try r.u32()
            guard length < 0xffff_fff0 else {
                throw DWARFError.unsupported(section: ".debug_line", offset: offset, what: "64-bit line table")
            }
            guard Int(length) <= r.remaining else { throw ByteReadError(offset: offset, what: "line table of \(length) bytes") }
            programEnd = r.offset + Int(length)
            version = try r.u16()
            guard (2 ... 5).contains(version) else {
                throw DWARFError.unsupported(section: ".debug_line", offset: offset, what: "line table version \(version)")
            }
            if version >= 5 {
                addressSize = try r.u8()
                _ = try r.u8()  // segment selector size
            } else {
                addressSize = context.addressSize
            }
            let headerLength = try r.u32()
            guard Int(headerLength) <= programEnd - r.offset else {
                throw DWARFError.malformed(section: ".debug_line", offset: offset, what: "header length \(headerLength)")
            }
            programStart = r.offset + Int(headerLength)
            minimumInstructionLength = try r.u8()
            if version >= 4 { _ = try r.u8() }  // maximum operations per instruction: VLIW only
            defaultIsStmt = try r.u8() != 0
            lineBase = try r.i8()
            lineRange = try r.u8()
            opcodeBase = try r.u8()
            guard lineRange != 0, opcodeBase != 0 else {
                throw DWARFError.malformed(section: ".debug_line", offset: offset, what: "line range 0 or opcode base 0")
            }
            var lengths: [UInt8] = []
            for _ in 1 ..< Int(opcodeBase) { lengths.append(try r.u8()) }
            standardOpcodeLengths = lengths
            var r2 = r
            if version >= 5 {
                let tables = try LineProgramHeader.readVersion5Tables(&r2, sections, context)
                includeDirectories = tables.directories
                files = tables.files.map { LineProgramHeader.fullPath($0.name, directory: $0.directory, tables.directories, compDir: context.compDir, directoryZeroIsCompDir: false) }
            } else {
                let tables = try LineProgramHeader.readLegacyTables(&r2, end: programStart)
                includeDirectories = tables.directories
                // Slot 0: the unit's primary file, which DWARF 4 cannot name by index.
                files = [context.unitName.map { LineProgramHeader.fullPath($0, directory: 0, [], compDir: context.compDir, directoryZeroIsCompDir: true) } ?? ""]
                files += tables.files.map { LineProgramHeader.fullPath($0.name, directory: $0.directory, tables.directories, compDir: context.compDir, directoryZeroIsCompDir: true) }
            }
        } catch let error as ByteReadError {
            throw .truncated(section: ".debug_line", error)
        } catch let error as DWARFError {
            throw error
        } catch {
            throw .malformed(section: ".debug_line", offset: offset, what: "header")
        }
    }

    /// DWARF 2-4: NUL-terminated lists of directories, then of files.
    private static func readLegacyTables(_ r: inout ByteReader, end: Int) throws(ByteReadError) -> (directories: [String], files: [(name: String, directory: UInt64)]) {
        var directories: [String] = []
        while r.offset < end {
            let directory = try r.cString()
            if directory.isEmpty { break }
            directories.append(directory)
        }
        var files: [(name: String, directory: UInt64)] = []
        while r.offset < end {
            let name = try r.cString()
            if name.isEmpty { break }
            let directory = try r.uleb128()
            _ = try r.uleb128()  // modification time
            _ = try r.uleb128()  // length
            files.append((name, directory))
        }
        return (directories, files)
    }

    /// DWARF 5: self-describing directory and file entry formats.
    private static func readVersion5Tables(_ r: inout ByteReader, _ sections: DWARFSections, _ context: UnitContext) throws(ByteReadError) -> (directories: [String], files: [(name: String, directory: UInt64)]) {
        let directoryEntries = try readEntries(&r, sections, context)
        let fileEntries = try readEntries(&r, sections, context)
        return (directoryEntries.map(\.name), fileEntries)
    }

    private static func readEntries(_ r: inout ByteReader, _ sections: DWARFSections, _ context: UnitContext) throws(ByteReadError) -> [(name: String, directory: UInt64)] {
        let formatCount = try r.u8()
        var format: [(content: UInt64, form: UInt64)] = []
        for _ in 0 ..< formatCount { format.append((try r.uleb128(), try r.uleb128())) }
        let count = try r.uleb128()
        // Each entry takes at least a byte when it has fields: a count beyond that is garbage.
        guard count <= UInt64(r.remaining) || (format.isEmpty && count < 1 << 16) else {
            throw ByteReadError(offset: r.offset, what: "\(count) line table entries")
        }
        var entries: [(name: String, directory: UInt64)] = []
        entries.reserveCapacity(Int(count))
        // Strings are read through the owning unit's bases when there is one.
        let encoding = UnitEncoding(version: 5, addressSize: context.addressSize, unitOffset: 0)
        for _ in 0 ..< count {
            var name = "", directory: UInt64 = 0
            for field in format {
                let value = try readAttributeValue(form: field.form, implicitConst: 0, encoding: encoding, reader: &r)
                switch field.content {
                case DWLineContent.path: name = string(value, sections, context) ?? ""
                case DWLineContent.directoryIndex: directory = value.number ?? 0
                default: break
                }
            }
            entries.append((name, directory))
        }
        return entries
    }

    private static func string(_ value: AttributeValue, _ sections: DWARFSections, _ context: UnitContext) -> String? {
        switch value {
        case .inlineString(let offset): DWARFSections.string(in: sections.line, at: UInt64(offset))
        case .stringOffset(let offset): DWARFSections.string(in: sections.str, at: offset)
        case .lineStringOffset(let offset): DWARFSections.string(in: sections.lineStr, at: offset)
        default: context.unit?.string(value, sections)
        }
    }

    /// gdb's fullname: an absolute name as is, else under its directory, and a
    /// relative directory under the compilation directory.
    static func fullPath(_ name: String, directory: UInt64, _ directories: [String], compDir: String?, directoryZeroIsCompDir: Bool) -> String {
        if name.hasPrefix("/") { return name }
        var dir: String?
        if directoryZeroIsCompDir {
            if directory == 0 { dir = compDir } else if directory <= UInt64(directories.count) { dir = directories[Int(directory) - 1] }
        } else if directory < UInt64(directories.count) {
            dir = directories[Int(directory)]
        }
        if let d = dir, !d.hasPrefix("/"), let compDir, !compDir.isEmpty, d != compDir {
            dir = join(compDir, d)
        }
        guard let dir, !dir.isEmpty else { return name }
        return join(dir, name)
    }

    private static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }
}
