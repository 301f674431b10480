import Backtraces
import ELF
import Synchronization

/// Finds the functions of a module whose code uses a flag's address.
///
/// One pass over a module's code answers every flag asked for at once; the
/// answers are cached per (module, flag range), because a library's text can
/// be megabytes and the same flags are asked about at every refresh. The
/// cache holds its modules, so an identity is never reused for another file.
public final class FlagReferenceScanner: Sendable {
    public static let shared = FlagReferenceScanner()

    private struct ModuleEntry {
        let module: ModuleFile
        var functions: [Range<FileAddress>: [ELFSymbol]]
    }

    private let cache = Mutex<[ObjectIdentifier: ModuleEntry]>([:])

    public init() {}

    /// `flags` with their referencing functions, in the same order. A flag
    /// whose module instance is no longer in `space` gets no functions.
    public func references(to flags: [HoldFlag], in space: AddressSpace) -> [HoldFlagReferences] {
        let instances = LoadedModule.all(in: space)
        var answers = flags.map { HoldFlagReferences(flag: $0, functions: [], moduleCode: []) }
        // Group by instance so each module is scanned once for all its flags.
        for instance in instances {
            let mine = flags.indices.filter { flags[$0].modulePath == instance.path && flags[$0].loadBias == instance.loadBias }
            guard !mine.isEmpty else { continue }
            let functions = self.functions(referencing: mine.map { flags[$0].linkRange }, in: instance.module)
            for (index, symbols) in zip(mine, functions) {
                answers[index].moduleCode = instance.codeRanges
                answers[index].functions = symbols.map { symbol in
                    let linkRange = symbol.value ..< symbol.end
                    return ReferencingFunction(
                        name: symbol.name, range: instance.loadBias.runtimeRange(of: linkRange), linkRange: linkRange)
                }
            }
        }
        return answers
    }

    public func references(to flag: HoldFlag, in space: AddressSpace) -> HoldFlagReferences {
        references(to: [flag], in: space)[0]
    }

    /// For each range of file addresses, the function symbols of `module`
    /// whose code has a RIP-relative operand inside it (directly or through a
    /// GOT slot), in address order.
    public func functions(referencing ranges: [Range<FileAddress>], in module: ModuleFile) -> [[ELFSymbol]] {
        let key = ObjectIdentifier(module)
        let known = cache.withLock { $0[key]?.functions ?? [:] }
        let missing = Array(Set(ranges.filter { known[$0] == nil }))
        var fresh: [Range<FileAddress>: [ELFSymbol]] = [:]
        if !missing.isEmpty {
            // Scanned outside the lock: another thread may scan the same
            // module meanwhile, which costs time, not correctness.
            let found = Self.scan(module, for: missing)
            for (range, symbols) in zip(missing, found) { fresh[range] = symbols }
            cache.withLock { entries in
                var entry = entries[key] ?? ModuleEntry(module: module, functions: [:])
                entry.functions.merge(fresh) { old, _ in old }
                entries[key] = entry
            }
        }
        return ranges.map { known[$0] ?? fresh[$0] ?? [] }
    }

    /// Forgets every scanned module.
    public func removeAll() {
        cache.withLock { $0.removeAll() }
    }

    private static func scan(_ module: ModuleFile, for ranges: [Range<FileAddress>]) -> [[ELFSymbol]] {
        var targets = ranges.enumerated().map { (range: $0.element, owner: $0.offset) }
        for (slot, owner) in GOTSlots.slots(in: module.elf, pointingInto: ranges) {
            targets.append((slot ..< slot + 8, owner))
        }
        let scanner = RIPRelativeScan(targets: targets)
        var sites = Array(repeating: Set<FileAddress>(), count: ranges.count)
        for block in module.elf.codeBlocks {
            scanner.scan(block) { address, owner in sites[owner].insert(address) }
        }
        return sites.map { addresses in
            let functions = Set(addresses.compactMap { address -> ELFSymbol? in
                guard let symbol = module.symbol(containing: address), symbol.kind == .function else { return nil }
                return symbol
            })
            return functions.sorted { ($0.value, $0.name) < ($1.value, $1.name) }
        }
    }
}
