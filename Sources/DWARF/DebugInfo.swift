import ELF
import Synchronization

/// Source lines and inlined call chains for file addresses of one ELF file.
///
/// Everything is read lazily: the first lookup finds its unit through
/// .debug_aranges (or the units' own ranges), then reads only that unit's DIEs
/// and line table, and caches them. Lookups may run on many threads at once;
/// the caches are behind locks that are never held while parsing, so two
/// threads may build the same unit at once and the first result is kept.
public final class DebugInfo: Sendable {
    let sections: DWARFSections

    private let directoryCache = Mutex<UnitDirectory?>(nil)
    private let unitIndexCache = Mutex<IntervalIndex<Int>?>(nil)
    private let unitCache = Mutex<[Int: CompilationUnit?]>([:])
    /// The headers of the units read so far, for DIE offsets into them.
    private let readUnits = Mutex(UnitDirectory())
    private let lineTableCache = Mutex<[Int: LineTable?]>([:])
    private let scopeCache = Mutex<[Int: UnitScopes]>([:])
    /// Line tables by their sequences, for files with .debug_line but no usable .debug_info.
    private let lineOnlyIndexCache = Mutex<IntervalIndex<Int>?>(nil)
    /// Their tables, apart from the unit-keyed ones: without a unit there is no compilation directory.
    private let lineOnlyTableCache = Mutex<[Int: LineTable?]>([:])
    /// What frame arguments read from DIEs, by function and pc, and call
    /// sites by return address (FrameArguments.swift, CallSites.swift):
    /// a thousand threads parked in one place ask the same questions.
    let argumentPlanCache = Mutex<[ArgumentPlanKey: ArgumentPlan?]>([:])
    /// Local variables in scope at a pc, per function (FrameLocals.swift).
    let localsPlanCache = Mutex<[ArgumentPlanKey: ArgumentPlan?]>([:])
    let callSiteCache = Mutex<[UInt64: CallSitePlan?]>([:])
    let tailCallCache = Mutex<[TailCallKey: CallSitePlan?]>([:])
    static let planCacheLimit = 1 << 14

    /// nil when the file has no .debug_line and no .debug_info.
    public init?(elf: ELFFile) {
        let sections = DWARFSections(file: elf)
        guard sections.line.count > 0 || sections.info.count > 0 else { return nil }
        self.sections = sections
    }

    /// Innermost first, gdb's order: inlined frames (isInline true) then the
    /// subprogram that contains them (isInline false). With only a line table,
    /// one frame without a function. Empty when nothing covers the address.
    /// Callers pass `pc - 1` for return addresses.
    public func frames(at fileAddress: FileAddress) -> [SourceFrame] {
        // Line tables, ranges and indexes below hold file addresses as plain integers.
        let address = fileAddress.rawValue
        guard let unit = unit(covering: address) else {
            return lineOnlyLocation(at: address).map { [SourceFrame(function: nil, location: $0, isInline: false)] } ?? []
        }
        let table = lineTable(for: unit)
        let innermost = table?.location(at: address)
        let scopes = scopes(for: unit)
        let chain = scopes.chain(at: address)
        guard !chain.isEmpty else {
            return innermost.map { [SourceFrame(function: nil, location: $0, isInline: false)] } ?? []
        }
        var frames: [SourceFrame] = []
        frames.reserveCapacity(chain.count)
        var location = innermost
        let subprogram = chain.last.map { scopes.scopes[$0].dieOffset } ?? -1
        for scopeIndex in chain {
            let scope = scopes.scopes[scopeIndex]
            var frame = SourceFrame(function: scope.function, name: scope.gdbName?.text, location: location, isInline: scope.isInline)
            if scope.dieOffset >= 0, subprogram >= 0 { frame.scope = FunctionScope(die: scope.dieOffset, subprogram: subprogram) }
            frames.append(frame)
            // The next frame out is where this inlined call sits.
            if let file = scope.callFile.flatMap({ table?.file($0) }), let line = scope.callLine, line > 0, line <= UInt64(Int.max) {
                location = SourceLocation(file: file, line: Int(line))
            } else {
                location = nil
            }
        }
        return frames
    }

    /// Just the line table row, nil when none.
    public func location(at fileAddress: FileAddress) -> SourceLocation? {
        let address = fileAddress.rawValue
        guard let unit = unit(covering: address) else { return lineOnlyLocation(at: address) }
        return lineTable(for: unit)?.location(at: address)
    }

    // MARK: Units

    private var directory: UnitDirectory {
        if let known = directoryCache.withLock({ $0 }) { return known }
        let built = UnitDirectory(info: sections.info)
        return directoryCache.withLock { cached in
            if cached == nil { cached = built }
            return cached!
        }
    }

    /// The unit whose code covers `address`.
    func unit(covering address: UInt64) -> CompilationUnit? {
        guard sections.info.count > 0, let offset = unitIndex.first(covering: address) else { return nil }
        return unit(at: offset)
    }

    /// The unit whose header is at `offset`, read once. The header is read
    /// where the offset points (from .debug_aranges or the directory), not
    /// looked up in the directory: building that reads every unit's header,
    /// a page of glibc's 9 MB of .debug_info every few kilobytes.
    func unit(at offset: Int) -> CompilationUnit? {
        if let known = unitCache.withLock({ $0[offset] }) { return known }
        var built: CompilationUnit?
        if let header = (try? UnitHeader.read(sections.info, at: offset))?.header,
           let abbreviations = try? AbbreviationTable(section: sections.abbrev, offset: header.abbreviationOffset) {
            built = try? CompilationUnit(header: header, sections: sections, abbreviations: abbreviations)
        }
        return unitCache.withLock { cache in
            if let raced = cache[offset] { return raced }
            cache[offset] = built
            if let built { readUnits.withLock { $0.insert(built.header) } }
            return built
        }
    }

    /// The unit holding .debug_info offset `offset` (a DIE reference): one
    /// already read when it holds it, as nearly every reference stays in its
    /// unit; else found in the directory of every unit.
    func unit(containing offset: Int) -> CompilationUnit? {
        if let known = readUnits.withLock({ $0.unit(containing: offset) }) { return unit(at: known.offset) }
        guard let header = directory.unit(containing: offset) else { return nil }
        return unit(at: header.offset)
    }

    /// Addresses to units: from .debug_aranges when the file has it, else from
    /// every unit's top DIE.
    private var unitIndex: IntervalIndex<Int> {
        if let known = unitIndexCache.withLock({ $0 }) { return known }
        var intervals = AddressRanges.read(sections.aranges)
        if intervals.isEmpty {
            for header in directory.units where header.unitType == DWUnitType.compile {
                guard let unit = unit(at: header.offset) else { continue }
                for range in unit.ownRanges(sections) {
                    intervals.append((range.lowerBound, range.upperBound, header.offset))
                }
            }
        }
        let built = IntervalIndex(intervals)
        return unitIndexCache.withLock { cached in
            if cached == nil { cached = built }
            return cached!
        }
    }

    // MARK: Per-unit tables

    private func lineTable(for unit: CompilationUnit) -> LineTable? {
        guard let offset = unit.lineTableOffset else { return nil }
        if let known = lineTableCache.withLock({ $0[offset] }) { return known }
        let context = LineProgramHeader.UnitContext(compDir: unit.compDir, unitName: unit.name, unit: unit,
                                                    addressSize: unit.header.addressSize)
        let built = (try? LineProgramHeader(sections, at: offset, context: context)).map { LineTable(header: $0, section: sections.line) }
        return lineTableCache.withLock { cache in
            if let raced = cache[offset] { return raced }
            cache[offset] = built
            return built
        }
    }

    private func scopes(for unit: CompilationUnit) -> UnitScopes {
        let offset = unit.header.offset
        if let known = scopeCache.withLock({ $0[offset] }) { return known }
        let built = UnitScopes(unit: unit, sections: sections) { [self] in self.unit(containing: $0) }
        return scopeCache.withLock { cache in
            if let raced = cache[offset] { return raced }
            cache[offset] = built
            return built
        }
    }

    // MARK: Line tables without units

    /// For a file whose .debug_info is missing or does not cover the address:
    /// find the line table by its sequences. Builds an index of every table once.
    private func lineOnlyLocation(at address: UInt64) -> SourceLocation? {
        guard sections.line.count > 0, let offset = lineOnlyIndex.first(covering: address) else { return nil }
        if let known = lineOnlyTableCache.withLock({ $0[offset] }) { return known?.location(at: address) }
        let built = (try? LineProgramHeader(sections, at: offset, context: LineProgramHeader.UnitContext()))
            .map { LineTable(header: $0, section: sections.line) }
        let table = lineOnlyTableCache.withLock { cache in
            if let raced = cache[offset] { return raced }
            cache[offset] = built
            return built
        }
        return table?.location(at: address)
    }

    private var lineOnlyIndex: IntervalIndex<Int> {
        if let known = lineOnlyIndexCache.withLock({ $0 }) { return known }
        var intervals: [(start: UInt64, end: UInt64, payload: Int)] = []
        var offset = 0
        while offset < sections.line.count {
            guard let header = try? LineProgramHeader(sections, at: offset, context: LineProgramHeader.UnitContext()),
                  header.programEnd > offset else { break }
            for range in LineTable(header: header, section: sections.line).sequenceRanges {
                intervals.append((range.lowerBound, range.upperBound, offset))
            }
            offset = header.programEnd
        }
        let built = IntervalIndex(intervals)
        return lineOnlyIndexCache.withLock { cached in
            if cached == nil { cached = built }
            return cached!
        }
    }
}
