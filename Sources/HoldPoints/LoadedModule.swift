import Backtraces
import ELF
import Paths

/// One module instance in a process: its file, where it was moved to, and
/// the executable mappings it has (usually one).
struct LoadedModule {
    var path: String
    var file: ModuleFile
    var loadBias: LoadBias
    var executableRanges: [Range<RuntimeAddress>]

    var basename: String { Path.basename(path) }

    /// Whether a file address of this module is loaded executable.
    func runtimeCode(at address: FileAddress) -> RuntimeAddress? {
        let runtime = loadBias.runtimeAddress(of: address)
        return executableRanges.contains { $0.contains(runtime) } ? runtime : nil
    }

    /// The regions of one address space grouped by module instance, in address order.
    static func all(in space: AddressSpace) -> [LoadedModule] {
        var modules: [LoadedModule] = []
        for region in space.regions {
            guard let file = region.module, region.path != "[vdso]" else { continue }
            if let index = modules.firstIndex(where: { $0.path == region.path && $0.loadBias == region.loadBias }) {
                modules[index].executableRanges.append(region.range)
            } else {
                modules.append(LoadedModule(path: region.path, file: file, loadBias: region.loadBias, executableRanges: [region.range]))
            }
        }
        return modules
    }

    /// Whether `given` (MODULE in `MODULE:FUNCTION`) names this module: its
    /// basename, the basename without its version (`libc.so.6` as `libc.so`
    /// or `libc`; `libstdc++.so.6.0.30` as `libstdc++.so.6`), or a suffix of
    /// its path at a `/`.
    func isNamed(_ given: String) -> Bool {
        if given.contains("/") { return path == given || path.hasSuffix("/" + given) }
        let name = basename
        guard name.hasPrefix(given) else { return false }
        if name.count == given.count { return true }
        // Only whole dot-separated pieces may be left off, and never all of them but the stem.
        let rest = name.dropFirst(given.count)
        guard rest.hasPrefix(".") else { return false }
        return rest.hasPrefix(".so") || given.contains(".so")
    }
}
