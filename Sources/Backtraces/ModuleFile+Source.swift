import DWARF
import ELF
import GoPCLN

/// Source lines and inline frames: what DWARF adds to a module's symbols.
extension ModuleFile {
    /// Source lines and inlined calls from the debug file, or from the binary
    /// itself when it carries its DWARF; nil without either.
    public var debugInfo: DebugInfo? {
        if let cached = debugInfoCache.withLock({ $0 }) { return cached }
        // Built outside the lock: the sections it inflates are cached (and
        // locked) by the ELF file, so two threads racing here inflate once.
        let info = debugFile.flatMap(DebugInfo.init(elf:)) ?? DebugInfo(elf: elf)
        return debugInfoCache.withLock { cache in
            if let cached = cache { return cached }
            cache = .some(info)
            return info
        }
    }

    /// The frames at a file address, innermost first: functions inlined
    /// there (from DWARF), then the function whose symbol contains it, each
    /// with its source line where the debug information has one. Empty when
    /// nothing names the address.
    func resolvedFrames(at linkAddress: FileAddress) -> [ResolvedFrame] {
        if let cached = resolvedCache.withLock({ $0[linkAddress] }) { return cached }
        let resolved = resolve(linkAddress)
        resolvedCache.withLock { cache in
            if cache.count >= Self.resolvedCacheLimit { cache.removeAll(keepingCapacity: true) }
            cache[linkAddress] = resolved
        }
        return resolved
    }

    private func resolve(_ linkAddress: FileAddress) -> [ResolvedFrame] {
        let symbol = symbol(containing: linkAddress)
        let source = debugInfo?.frames(at: linkAddress) ?? []
        var frames: [ResolvedFrame] = []
        // gdb's order: the innermost inlined function first; the function
        // that owns the code last.
        for inlined in source.dropLast() where inlined.isInline {
            frames.append(ResolvedFrame(
                function: Self.frameName(inlined), rawFunction: inlined.function,
                symbolStart: symbol?.value, location: inlined.location.map(Self.tidied), isInline: true,
                scope: inlined.scope))
        }
        if source.isEmpty, let goTable, let goFunction = goTable.function(containing: linkAddress.rawValue) {
            // Go without DWARF (-w) still records its inlined calls, as Go's own traceback shows them.
            for name in goTable.inlinedFunctions(of: goFunction, at: linkAddress.rawValue) {
                frames.append(ResolvedFrame(
                    function: name, rawFunction: name, symbolStart: symbol?.value ?? FileAddress(goFunction.entry),
                    location: nil, isInline: true))
            }
        }
        let outer = source.last
        if let symbol {
            // gdb names the function from DWARF when a subprogram there holds
            // the pc (no clone suffix, no parameters); the symbol otherwise.
            let dwarfName = outer.flatMap { $0.isInline ? nil : Self.frameName($0) }
            frames.append(ResolvedFrame(
                function: dwarfName ?? functionName(symbol.name), rawFunction: symbol.name, symbolStart: symbol.value,
                location: outer?.location.map(Self.tidied), isInline: false,
                exportedName: exportedName(at: symbol.value).map(functionName),
                scope: outer.flatMap { $0.isInline ? nil : $0.scope }))
        } else if let outer {
            // DWARF knows a function the symbol tables do not (a stripped binary with a debug file of DWARF only).
            frames.append(ResolvedFrame(
                function: Self.frameName(outer), rawFunction: outer.function, symbolStart: nil,
                location: outer.location.map(Self.tidied), isInline: outer.isInline, scope: outer.scope))
        } else if let goFunction = goTable?.function(containing: linkAddress.rawValue),
                  let name = goTable?.name(of: goFunction) {
            // Go stripped of .symtab (-s) still names every function in its pclntab.
            frames.append(ResolvedFrame(
                function: name, rawFunction: name, symbolStart: FileAddress(goFunction.entry),
                location: nil, isInline: false))
        }
        return frames
    }

    /// What gdb prints for a DWARF function: the name computed for C++ and
    /// Rust, else the DWARF name (linkage name or DW_AT_name) as it is.
    static func frameName(_ frame: SourceFrame) -> String? {
        frame.name ?? frame.function.map(displayName)
    }

    /// A symbol's name for display; in Go code as gdb names it from DWARF,
    /// without the ABI suffix only .symtab has.
    private func functionName(_ raw: String) -> String {
        goTable == nil ? displayName(raw) : GoFunctionName.withoutABISuffix(displayName(raw))
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
}
