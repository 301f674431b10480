import ELF

import Synchronization

/// The call-frame information of one module: finds the FDE for a pc and the
/// row in force there, caching both. Addresses are file addresses; the
/// unwinder turns a runtime pc into one with the module's load bias. Safe to
/// share between threads.
public final class UnwindTable: @unchecked Sendable {
    // @unchecked: the sections are immutable borrowed bytes kept alive by
    // `owner`; every mutable field lives behind `state`'s lock.

    public let architecture: UnwindArchitecture
    public let ehFrameHeader: CFISection?
    public let ehFrame: CFISection?
    public let debugFrame: CFISection?
    /// The parsed header, nil if absent or unusable (then .eh_frame is scanned).
    public let header: EhFrameHeader?
    /// Why a present header was not used.
    public let headerError: CFIError?
    let bases: PointerContext
    let owner: AnyObject?

    /// Rows cached by pc in a direct-mapped array: bounded and never rehashed.
    public static let rowCacheSlots = 1024

    private enum RowSlot {
        case empty
        case row(FileAddress, UnwindRow)
        case none(FileAddress)
    }

    private struct State {
        var rowCache: [RowSlot]
        var ehCIEs: [Int: CommonInformationEntry] = [:]
        var debugCIEs: [Int: CommonInformationEntry] = [:]
        var ehIndex: FDEIndex?
        var debugIndex: FDEIndex?
        var hits = 0
        var misses = 0
    }

    private let state: Mutex<State>

    /// - textBase/dataBase: bases for textrel/datarel pointers in .eh_frame
    ///   (rare on x86_64; the header's datarel base is its own address).
    /// - indirectPointerReader: reads the 8-byte slot a DW_EH_PE_indirect
    ///   pc_begin points at (a file address); without it such FDEs are errors.
    /// - owner: retained so the borrowed section bytes outlive the table.
    public init(ehFrameHeader: CFISection? = nil, ehFrame: CFISection? = nil, debugFrame: CFISection? = nil,
                architecture: UnwindArchitecture = .x86_64, textBase: FileAddress? = nil, dataBase: FileAddress? = nil,
                indirectPointerReader: (@Sendable (FileAddress) -> UInt64?)? = nil,
                owner: AnyObject? = nil) {
        self.architecture = architecture
        self.ehFrameHeader = ehFrameHeader.map { CFISection(bytes: $0.bytes, address: $0.address, kind: .ehFrameHeader) }
        self.ehFrame = ehFrame.map { CFISection(bytes: $0.bytes, address: $0.address, kind: .ehFrame) }
        self.debugFrame = debugFrame.map { CFISection(bytes: $0.bytes, address: $0.address, kind: .debugFrame) }
        self.owner = owner
        bases = PointerContext(sectionAddress: 0, textBase: textBase?.rawValue, dataBase: dataBase?.rawValue,
                               addressSize: architecture.addressSize,
                               readIndirect: indirectPointerReader.map { read in { read(FileAddress($0)) } })
        var header: EhFrameHeader? = nil
        var headerError: CFIError? = nil
        if let h = self.ehFrameHeader, self.ehFrame != nil {
            do { header = try EhFrameHeader.parse(h, addressSize: architecture.addressSize) } catch { headerError = error }
        }
        self.header = header
        self.headerError = headerError
        state = Mutex(State(rowCache: Array(repeating: .empty, count: Self.rowCacheSlots)))
    }

    /// Convenience for callers holding `(bytes, address)` pairs.
    public convenience init(ehFrameHeader: (bytes: UnsafeRawBufferPointer, address: FileAddress)?,
                            ehFrame: (bytes: UnsafeRawBufferPointer, address: FileAddress)?,
                            debugFrame: (bytes: UnsafeRawBufferPointer, address: FileAddress)? = nil,
                            architecture: UnwindArchitecture = .x86_64, owner: AnyObject? = nil) {
        self.init(ehFrameHeader: ehFrameHeader.map { CFISection(bytes: $0.bytes, address: $0.address, kind: .ehFrameHeader) },
                  ehFrame: ehFrame.map { CFISection(bytes: $0.bytes, address: $0.address, kind: .ehFrame) },
                  debugFrame: debugFrame.map { CFISection(bytes: $0.bytes, address: $0.address, kind: .debugFrame) },
                  architecture: architecture, owner: owner)
    }

    /// A located FDE with its CIE and the section both live in.
    public struct Entry: Sendable {
        public let fde: FrameDescriptionEntry
        public let cie: CommonInformationEntry
        public let section: CFISection
    }

    // MARK: Lookup

    /// The row in force at `pc`, or nil when no FDE covers it.
    public func row(for pc: FileAddress) throws(CFIError) -> UnwindRow? {
        let slot = Self.slot(pc)
        let cached: UnwindRow?? = state.withLock { s in
            switch s.rowCache[slot] {
            case .row(let p, let r) where p == pc: s.hits += 1; return .some(r)
            case .none(let p) where p == pc: s.hits += 1; return .some(nil)
            default: s.misses += 1; return nil
            }
        }
        if let cached { return cached }
        guard let entry = try entry(for: pc) else {
            state.withLock { $0.rowCache[slot] = .none(pc) }
            return nil
        }
        let row = try CFAInterpreter(section: entry.section, cie: entry.cie, architecture: architecture, bases: bases)
            .row(for: pc, fde: entry.fde)
        state.withLock { $0.rowCache[slot] = .row(pc, row) }
        return row
    }

    /// The row for `pc` within a known entry (no caching; for tools and tests).
    public func row(for pc: FileAddress, in entry: Entry) throws(CFIError) -> UnwindRow {
        try CFAInterpreter(section: entry.section, cie: entry.cie, architecture: architecture, bases: bases)
            .row(for: pc, fde: entry.fde)
    }

    /// Cache statistics (hits, misses).
    public var cacheStatistics: (hits: Int, misses: Int) {
        state.withLock { ($0.hits, $0.misses) }
    }

    /// The FDE covering `pc`: .eh_frame (via the header when there is one),
    /// then .debug_frame.
    public func entry(for pc: FileAddress) throws(CFIError) -> Entry? {
        if let ehFrame {
            if let header, let hdrSection = ehFrameHeader {
                if let address = try header.search(pc, in: hdrSection) {
                    let offset = address.offset(from: ehFrame.address)
                    guard offset < UInt64(ehFrame.bytes.count) else {
                        throw CFIError(.badCIEPointer(address.rawValue), section: .ehFrameHeader, offset: header.tableOffset)
                    }
                    let e = try entry(at: Int(offset), in: ehFrame)
                    if e.fde.contains(pc) { return e }
                }
            } else if let offset = index(for: ehFrame).lookup(pc) {
                return try entry(at: offset, in: ehFrame)
            }
        }
        if let debugFrame, let offset = index(for: debugFrame).lookup(pc) {
            return try entry(at: offset, in: debugFrame)
        }
        return nil
    }

    /// The FDE at `offset` in `section`, with its (cached) CIE.
    public func entry(at offset: Int, in section: CFISection) throws(CFIError) -> Entry {
        guard let h = try CFIEntryHeader.read(section, at: offset) else {
            throw CFIError(.notAnFDE, section: section.kind, offset: offset)
        }
        guard !h.isCIE else { throw CFIError(.notAnFDE, section: section.kind, offset: offset) }
        let cie = try self.cie(at: h.cieOffset, in: section)
        let fde = try FrameDescriptionEntry.parse(section, header: h, cie: cie, bases: bases)
        return Entry(fde: fde, cie: cie, section: section)
    }

    public func cie(at offset: Int, in section: CFISection) throws(CFIError) -> CommonInformationEntry {
        let isEh = section.isEhFrame
        if let c = state.withLock({ isEh ? $0.ehCIEs[offset] : $0.debugCIEs[offset] }) { return c }
        guard let h = try CFIEntryHeader.read(section, at: offset), h.isCIE else {
            throw CFIError(.badCIEPointer(UInt64(offset)), section: section.kind, offset: offset)
        }
        let cie = try CommonInformationEntry.parse(section, header: h, addressSize: architecture.addressSize)
        state.withLock { s in
            if isEh { s.ehCIEs[offset] = cie } else { s.debugCIEs[offset] = cie }
        }
        return cie
    }

    // MARK: Scanning

    /// Every FDE in `section` in file order; stops at the first broken entry
    /// header (after which lengths cannot be trusted). Bad FDEs are skipped.
    public func forEachFDE(in section: CFISection, _ body: (Entry) -> Void) -> CFIError? {
        var offset = 0
        while offset < section.bytes.count {
            let h: CFIEntryHeader
            do {
                guard let hh = try CFIEntryHeader.read(section, at: offset) else { break }
                h = hh
            } catch {
                return error
            }
            offset = h.end
            if h.isCIE { continue }
            if let e = try? entry(at: h.offset, in: section) { body(e) }
        }
        return nil
    }

    /// Lazily built, cached index of a section with no search table.
    private func index(for section: CFISection) -> FDEIndex {
        let isEh = section.isEhFrame
        if let i = state.withLock({ isEh ? $0.ehIndex : $0.debugIndex }) { return i }
        var entries: [FDEIndex.Entry] = []
        let error = forEachFDE(in: section) { e in
            guard e.fde.pcRange > 0 else { return }
            entries.append(.init(pcBegin: e.fde.pcBegin, pcEnd: e.fde.pcEnd, offset: e.fde.offset))
        }
        entries.sort { $0.pcBegin < $1.pcBegin }
        let index = FDEIndex(entries: entries, scanError: error)
        state.withLock { s in
            if isEh { s.ehIndex = index } else { s.debugIndex = index }
        }
        return index
    }

    @inline(__always)
    private static func slot(_ pc: FileAddress) -> Int {
        Int(truncatingIfNeeded: (pc.rawValue &* 0x9E37_79B9_7F4A_7C15) >> 54) & (rowCacheSlots - 1)
    }
}
