import Backtraces
import ELF

/// One loaded instance of a module: a file mapped at one load bias. A library
/// mapped twice (dlmopen) is two instances with two sets of flags.
///
/// AddressSpace keeps only executable regions, but the loader places every
/// PT_LOAD segment of one instance at the same displacement from its link
/// address, so the code's bias is the data's bias too.
public struct LoadedModule: Sendable {
    public var module: ModuleFile
    public var loadBias: LoadBias
    /// The instance's executable regions in the process.
    public var codeRanges: [Range<RuntimeAddress>]

    public var path: String { module.path }

    /// The instances in `space`, in address order of their first code region.
    public static func all(in space: AddressSpace) -> [LoadedModule] {
        var instances: [LoadedModule] = []
        for region in space.regions {
            // The vDSO has no flags, and is a new ModuleFile at every load:
            // caching by module identity would only grow.
            guard let module = region.module, region.path != "[vdso]" else { continue }
            if let i = instances.firstIndex(where: { $0.module === module && $0.loadBias == region.loadBias }) {
                instances[i].codeRanges.append(region.range)
            } else {
                instances.append(LoadedModule(module: module, loadBias: region.loadBias, codeRanges: [region.range]))
            }
        }
        return instances
    }

    public init(module: ModuleFile, loadBias: LoadBias, codeRanges: [Range<RuntimeAddress>] = []) {
        self.module = module
        self.loadBias = loadBias
        self.codeRanges = codeRanges
    }
}
