import Backtraces
import Demangle
import ELF

/// FUNCTION and MODULE:FUNCTION: the entry address of the one function the
/// name means (its symbol's value, the first instruction, not past the
/// prologue: a hold point parks before the function does anything).
struct FunctionResolver {
    let modules: [LoadedModule]

    /// One address a name can mean: aliases at one address (`read`,
    /// `__read`, `__libc_read`) and the same symbol in both the binary and
    /// its debug file are one candidate.
    private struct Candidate {
        var module: LoadedModule
        var address: RuntimeAddress
        var fileAddress: FileAddress
        var name: String
    }

    func resolve(name: String, module given: String?) throws(PointLocationError) -> ResolvedPoint {
        var searched = modules
        if let given {
            searched = modules.filter { $0.isNamed(given) }
            guard !searched.isEmpty else {
                throw .moduleNotFound(given, loaded: Self.unique(modules.map(\.basename)))
            }
        }
        let query = FunctionQuery(name)
        var candidates: [Candidate] = []
        var best = FunctionQuery.Match.tail
        for module in searched {
            for symbol in functionSymbols(of: module, containing: query.keyword, anyCase: false) {
                let shown = Self.shownName(symbol.name)
                guard let match = query.match(raw: symbol.name, shown: shown), match >= best,
                      let address = module.runtimeCode(at: symbol.value) else { continue }
                if match > best {
                    best = match
                    candidates.removeAll()
                }
                if candidates.contains(where: { $0.address == address }) { continue }
                candidates.append(Candidate(module: module, address: address, fileAddress: symbol.value, name: shown))
            }
        }
        guard let only = candidates.first else {
            throw .functionNotFound(name, module: given, closeNames: closeNames(to: query, in: searched))
        }
        guard candidates.count == 1 else {
            let sorted = candidates.sorted { ($0.module.basename, $0.address) < ($1.module.basename, $1.address) }
            let listed = sorted.prefix(10).map { "\($0.module.basename):\($0.name) at \($0.address)" }
            throw .ambiguousFunction(given.map { "\($0):\(name)" } ?? name, candidates: listed, total: candidates.count)
        }
        let location = only.module.file.debugInfo?.location(at: only.fileAddress)
        return ResolvedPoint(
            runtimeAddress: only.address, module: only.module.path, function: only.name,
            file: location.map { SourcePaths.tidied($0.file) }, line: location?.line)
    }

    /// Function symbols from the debug file's table and the binary's, whose
    /// raw name holds `keyword`: a table of a libc is read without
    /// demangling every name.
    private func functionSymbols(of module: LoadedModule, containing keyword: [UInt8], anyCase: Bool) -> [ELFSymbol] {
        let tables = [module.file.debugFile, module.file.elf].compactMap { try? $0?.symbols }
        var found: [ELFSymbol] = []
        for table in tables {
            for symbol in table where symbol.kind == .function {
                var raw = symbol.name
                if raw.withUTF8({ UnsafeRawBufferPointer($0).contains(keyword, anyCase: anyCase) }) { found.append(symbol) }
            }
        }
        return found
    }

    /// Up to 5 function names that contain the text in any case, shortest first.
    private func closeNames(to query: FunctionQuery, in searched: [LoadedModule]) -> [String] {
        var stripped = query.text
        if let start = FunctionQuery.parameterListStart(stripped) { stripped = String(stripped[..<start]) }
        let wanted = stripped.lowercased()
        var names: Set<String> = []
        for module in searched {
            for symbol in functionSymbols(of: module, containing: query.keyword, anyCase: true) {
                let shown = Self.shownName(symbol.name)
                if shown.lowercased().contains(wanted) || symbol.name.lowercased().contains(wanted) { names.insert(shown) }
            }
        }
        return Array(names.sorted { ($0.count, $0) < ($1.count, $1) }.prefix(5))
    }

    /// The name users know (Backtraces' rule): demangled, without a symbol version.
    static func shownName(_ raw: String) -> String {
        Demangler.demangle(LinkerDecoration.strippingVersion(raw))
    }

    static func unique(_ names: [String]) -> [String] {
        var seen: Set<String> = []
        return names.filter { seen.insert($0).inserted }
    }
}
