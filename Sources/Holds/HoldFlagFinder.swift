import Backtraces
import ELF

/// Finds the hold flags of a process: data symbols named `hold` (and the
/// compilers' spellings of a function-static `hold`), plus any the user names.
public struct HoldFlagFinder: Sendable {
    public var scanner: FlagReferenceScanner
    private let symbols = ModuleDataSymbols.shared

    public init(scanner: FlagReferenceScanner = .shared) {
        self.scanner = scanner
    }

    /// Every flag in every module instance of `space`, sorted by module path,
    /// then name, then address. A user-named flag must resolve to symbols in
    /// exactly one module (it may have several instances).
    public func find(in space: AddressSpace, extraNames: [FlagName] = []) throws(HoldFlagError) -> [HoldFlag] {
        let instances = LoadedModule.all(in: space)
        var flags: [HoldFlag] = []
        for instance in instances {
            flags += recognizedFlags(in: instance.module, loadBias: instance.loadBias)
        }
        for name in extraNames {
            flags += try namedFlags(name, in: instances)
        }
        var seen = Set<HoldFlag>()
        flags = flags.filter { seen.insert($0).inserted }
        return flags.sorted { ($0.modulePath, $0.name, $0.address) < ($1.modulePath, $1.name, $1.address) }
    }

    /// The automatically recognized flags of one module instance, owners of
    /// gcc's function-statics filled in from the code that uses them.
    public func recognizedFlags(in module: ModuleFile, loadBias: LoadBias) -> [HoldFlag] {
        let flags = symbols.recognizedFlags(in: module).compactMap { flag(for: $0, in: module, loadBias: loadBias) }
        return withOwners(flags, in: module)
    }

    private func namedFlags(_ name: FlagName, in instances: [LoadedModule]) throws(HoldFlagError) -> [HoldFlag] {
        let modules = instances.filter { name.matches(modulePath: $0.path) }
        if modules.isEmpty, let module = name.module {
            throw .moduleNotLoaded(module: module, loaded: Array(Set(instances.map(\.path))).sorted())
        }
        let hits = modules.flatMap { instance in
            symbols.objects(named: name.symbol, in: instance.module).map { (instance, $0) }
        }
        guard !hits.isEmpty else { throw .symbolNotFound(name) }
        let paths = Set(hits.map(\.0.path))
        guard paths.count == 1 else {
            throw .ambiguous(name, candidates: paths.sorted().map { "\($0):\(name.symbol)" })
        }
        var flags: [HoldFlag] = []
        for (instance, symbol) in hits {
            guard let flag = flag(for: symbol, in: instance.module, loadBias: instance.loadBias) else {
                throw .unsupportedSize(name, size: symbol.size)
            }
            flags += withOwners([flag], in: instance.module)
        }
        return flags
    }

    private func flag(for symbol: ELFSymbol, in module: ModuleFile, loadBias: LoadBias) -> HoldFlag? {
        guard HoldFlag.isSupportedSize(symbol.size) else { return nil }
        let parsed = FlagSymbolName.recognize(symbol.name) ?? FlagSymbolName.describe(symbol.name)
        let scope: HoldFlag.Scope
        switch symbol.binding {
        case .global, .weak: scope = .global
        case .local: scope = parsed.isFunctionStatic ? .functionStatic : .fileStatic
        }
        return HoldFlag(
            name: symbol.name, variableName: parsed.variableName, owners: parsed.owner.map { [$0] } ?? [],
            scope: scope, modulePath: module.path, address: loadBias.runtimeAddress(of: symbol.value).rawValue,
            linkAddress: symbol.value, size: Int(symbol.size))
    }

    /// gcc names a function-static `hold.N` without its function: the owner
    /// is whoever uses it (several functions when it was inlined).
    private func withOwners(_ flags: [HoldFlag], in module: ModuleFile) -> [HoldFlag] {
        let unowned = flags.indices.filter { flags[$0].scope == .functionStatic && flags[$0].owners.isEmpty }
        guard !unowned.isEmpty else { return flags }
        var result = flags
        let users = scanner.functions(referencing: unowned.map { flags[$0].linkRange }, in: module)
        for (index, functions) in zip(unowned, users) {
            let names = functions.map { ReferencingFunction.sourceName(of: $0.name) }
            result[index].owners = Array(Set(names)).sorted()
        }
        return result
    }
}
