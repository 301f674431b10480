import DWARF
import Demangle
import ELF
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
    private let symbolTables: [SymbolTable]
    /// DWARF, parsed on first use (most modules in a backtrace never need it).
    private let debugInfoCache = Mutex<DebugInfo??>(nil)
    /// What `frames(at:)` found, by link-time address: a thousand threads
    /// parked in one place ask for the same few addresses.
    private let resolvedCache = Mutex<[UInt64: [ResolvedFrame]]>([:])
    private static let resolvedCacheLimit = 1 << 16

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
    }

    /// The function symbol containing a link-time address, if any table has one.
    public func symbol(containing linkAddress: UInt64) -> ELFSymbol? {
        for table in symbolTables {
            if let symbol = table.symbol(containing: linkAddress) { return symbol }
        }
        return nil
    }

    /// Source lines and inlined calls from the debug file, or from the binary
    /// itself when it carries its DWARF; nil without either.
    public var debugInfo: DebugInfo? {
        if let cached = debugInfoCache.withLock({ $0 }) { return cached }
        // Parsed outside the lock; DebugInfo's own parsing is lazy, so this is cheap.
        let info = debugFile.flatMap(DebugInfo.init(elf:)) ?? DebugInfo(elf: elf)
        return debugInfoCache.withLock { cache in
            if let cached = cache { return cached }
            cache = .some(info)
            return info
        }
    }

    /// The frames at a link-time address, innermost first: functions inlined
    /// there (from DWARF), then the function whose symbol contains it, each
    /// with its source line where the debug information has one. Empty when
    /// nothing names the address.
    func resolvedFrames(at linkAddress: UInt64) -> [ResolvedFrame] {
        if let cached = resolvedCache.withLock({ $0[linkAddress] }) { return cached }
        let resolved = resolve(linkAddress)
        resolvedCache.withLock { cache in
            if cache.count >= Self.resolvedCacheLimit { cache.removeAll(keepingCapacity: true) }
            cache[linkAddress] = resolved
        }
        return resolved
    }

    private func resolve(_ linkAddress: UInt64) -> [ResolvedFrame] {
        let symbol = symbol(containing: linkAddress)
        let source = debugInfo?.frames(at: linkAddress) ?? []
        var frames: [ResolvedFrame] = []
        // gdb's order: the innermost inlined function first; the function
        // that owns the code (named by its symbol) last.
        for inlined in source.dropLast() where inlined.isInline {
            frames.append(ResolvedFrame(
                function: inlined.function.map(displayName), rawFunction: inlined.function,
                symbolStart: symbol?.value, location: inlined.location.map(Self.tidied), isInline: true))
        }
        let outer = source.last
        if let symbol {
            frames.append(ResolvedFrame(
                function: displayName(symbol.name), rawFunction: symbol.name, symbolStart: symbol.value,
                location: outer?.location.map(Self.tidied), isInline: false))
        } else if let outer {
            // DWARF knows a function the symbol tables do not (a stripped binary with a debug file of DWARF only).
            frames.append(ResolvedFrame(
                function: outer.function.map(displayName), rawFunction: outer.function, symbolStart: nil,
                location: outer.location.map(Self.tidied), isInline: outer.isInline))
        }
        return frames
    }

    /// Line tables join directories as they were written:
    /// `./time/../sysdeps/x.c`, `/src/app/../Shared/y.c`. Shown without the
    /// `.` and `dir/..` steps, as the file a user would open.
    static func tidied(_ location: SourceLocation) -> SourceLocation {
        SourceLocation(file: lexicallyNormalized(location.file), line: location.line)
    }

    static func lexicallyNormalized(_ path: String) -> String {
        let absolute = path.hasPrefix("/")
        var parts: [Substring] = []
        for part in path.split(separator: "/") where part != "." {
            if part == "..", let last = parts.last, last != ".." {
                parts.removeLast()
            } else if part == "..", absolute {
                continue  // above the root is the root
            } else {
                parts.append(part)
            }
        }
        let joined = parts.joined(separator: "/")
        return absolute ? "/" + joined : (joined.isEmpty ? "." : joined)
    }

    /// Every name given to the function at a symbol's address (aliases), for
    /// comparing with tools that chose another alias.
    public func aliases(of symbol: ELFSymbol) -> Set<String> {
        var names: Set<String> = [symbol.name]
        for table in symbolTables {
            guard var index = table.index(containing: symbol.value) else { continue }
            while index > table.startIndex, table[index - 1].value == symbol.value { index -= 1 }
            while index < table.endIndex, table[index].value == symbol.value {
                names.insert(table[index].name)
                index += 1
            }
        }
        return names
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
