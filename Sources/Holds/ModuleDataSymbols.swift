import Backtraces
import ELF
import Synchronization

/// The data symbols of a module that look like hold flags, from the debug
/// file's .symtab and the binary's own tables, each kept once. Cached per
/// module: listing them decodes every name of every table.
final class ModuleDataSymbols: Sendable {
    static let shared = ModuleDataSymbols()

    private let cache = Mutex<[ObjectIdentifier: (module: ModuleFile, symbols: [ELFSymbol])]>([:])

    /// OBJECT symbols whose name `FlagSymbolName.recognize` accepts.
    func recognizedFlags(in module: ModuleFile) -> [ELFSymbol] {
        let key = ObjectIdentifier(module)
        if let cached = cache.withLock({ $0[key] }) { return cached.symbols }
        var found: [ELFSymbol] = []
        for table in Self.tables(of: module) {
            found += table.objects(whereName: FlagSymbolName.mightBeFlag).filter { FlagSymbolName.recognize($0.name) != nil }
        }
        let symbols = Self.unique(found)
        cache.withLock { $0[key] = (module, symbols) }
        return symbols
    }

    /// OBJECT symbols named exactly `name`.
    func objects(named name: String, in module: ModuleFile) -> [ELFSymbol] {
        Self.unique(Self.tables(of: module).flatMap { $0.symbols(named: name) }.filter { $0.kind == .object })
    }

    /// The debug file first: it has the local symbols a stripped binary lost.
    /// A table that fails to load (corrupt) is skipped.
    private static func tables(of module: ModuleFile) -> [SymbolTable] {
        [module.debugFile, module.elf].compactMap { file in try? file?.symbols }
    }

    /// One symbol per (name, address): the debug file repeats the binary's.
    private static func unique(_ symbols: [ELFSymbol]) -> [ELFSymbol] {
        var seen = Set<String>()
        return symbols.filter { seen.insert("\($0.name)@\($0.value)").inserted }
    }
}
