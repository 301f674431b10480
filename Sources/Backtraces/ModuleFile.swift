import DWARF
import Demangle
import ELF
import GoPCLN
import Synchronization
import Unwind

/// One ELF file mapped into a target, with what backtraces need from it:
/// symbols (from its separate debug file too, when there is one) and CFI.
/// Immutable once built, so one instance serves every snapshot and process.
public final class ModuleFile: @unchecked Sendable {
    /// The path as /proc/PID/maps names it.
    public let path: String
    public let elf: ELFFile
    public let debugFile: ELFFile?
    public let unwindTable: UnwindTable?
    /// A Go binary's function table: names and sp deltas that survive
    /// `-ldflags='-s -w'`, which drops .symtab and every CFI.
    public let goTable: GoPCLNTable?
    private let symbolTables: [SymbolTable]
    /// DWARF, read on first use (ModuleFile+Source.swift).
    let debugInfoCache = Mutex<DebugInfo??>(nil)
    /// What `resolvedFrames(at:)` found, by file address: a thousand
    /// threads parked in one place ask for the same few addresses.
    let resolvedCache = Mutex<[FileAddress: [ResolvedFrame]]>([:])
    static let resolvedCacheLimit = 1 << 16

    init(path: String, elf: ELFFile, debugFile: ELFFile?) {
        self.path = path
        self.elf = elf
        self.debugFile = debugFile
        // A debug file's .symtab has the static functions a stripped binary lost;
        // the binary's own tables (.dynsym at least) follow.
        symbolTables = [debugFile, elf].compactMap { file in
            guard let table = try? file?.symbols, !table.isEmpty else { return nil }
            return table
        }
        unwindTable = Self.makeUnwindTable(elf: elf, debugFile: debugFile)
        // An unreadable table leaves the module as if it were not Go.
        goTable = (try? GoPCLNTable.locate(in: elf)) ?? nil
    }

    /// The function symbol containing a file address, if any table has one.
    public func symbol(containing linkAddress: FileAddress) -> ELFSymbol? {
        for table in symbolTables {
            if let symbol = table.symbol(containing: linkAddress) { return symbol }
        }
        return nil
    }

    /// The first function symbol named exactly `name` (raw), in any table:
    /// a linear scan, for the rare lookups that go from a DWARF name to code.
    public func function(named name: String) -> ELFSymbol? {
        for table in symbolTables {
            if let symbol = table.symbols(named: name).first(where: { $0.kind == .function }) { return symbol }
        }
        return nil
    }

    /// Every name given to the function at a symbol's address (aliases), for
    /// comparing with tools that chose another alias.
    public func aliases(of symbol: ELFSymbol) -> Set<String> {
        var names: Set<String> = [symbol.name]
        for table in symbolTables { names.formUnion(table.symbols(at: symbol.value).map(\.name)) }
        return names
    }

    /// The raw name the module exports the function at `symbolStart` under,
    /// the one with the fewest leading underscores over all its tables (see
    /// `SymbolTable.exportedName(at:)`); nil when it is not exported.
    public func exportedName(at symbolStart: FileAddress) -> String? {
        let names = symbolTables.compactMap { $0.exportedName(at: symbolStart) }
        return names.min { $0.prefix { $0 == "_" }.count < $1.prefix { $0 == "_" }.count }
    }

    private static func makeUnwindTable(elf: ELFFile, debugFile: ELFFile?) -> UnwindTable? {
        func section(_ file: ELFFile?, _ name: String) -> CFISection? {
            guard let file, let header = file.section(named: name),
                  let bytes = try? file.data(of: header), bytes.count > 0 else { return nil }
            let kind: CFISectionKind = name == ".eh_frame_hdr" ? .ehFrameHeader : name == ".eh_frame" ? .ehFrame : .debugFrame
            return CFISection(bytes: bytes, address: header.addr, kind: kind)
        }
        let header = section(elf, ".eh_frame_hdr")
        let ehFrame = section(elf, ".eh_frame")
        let debugFrame = section(elf, ".debug_frame") ?? section(debugFile, ".debug_frame")
        guard ehFrame != nil || debugFrame != nil else { return nil }
        let owners: [AnyObject] = [elf] + (debugFile.map { [$0] } ?? [])
        return UnwindTable(ehFrameHeader: header, ehFrame: ehFrame, debugFrame: debugFrame, owner: owners as AnyObject)
    }
}
