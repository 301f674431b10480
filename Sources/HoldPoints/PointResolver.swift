import Backtraces
import ELF

/// Turns a location into the addresses it means in one live process, from
/// the process's mappings and the symbols and line tables of its modules
/// (the main program, shared objects and their separate debug files).
public struct PointResolver: Sendable {
    public let space: AddressSpace

    public init(space: AddressSpace) {
        self.space = space
    }

    /// Reads /proc/PID/maps and opens the modules it maps.
    public init(pid: Int32) throws(PointLocationError) {
        guard let space = AddressSpace.load(pid: pid) else { throw .processUnreadable(pid: pid) }
        self.space = space
    }

    /// One point for a function or an address; one or more for a line.
    public func resolve(_ location: PointLocation) throws(PointLocationError) -> [ResolvedPoint] {
        let modules = LoadedModule.all(in: space)
        switch location {
        case .function(let name, let module):
            return [try FunctionResolver(modules: modules).resolve(name: name, module: module)]
        case .line(let file, let line):
            return try LineResolver(modules: modules).resolve(file: file, line: line)
        case .address(let address):
            return [try resolve(address: RuntimeAddress(address))]
        }
    }

    /// `PointLocation.parse` then `resolve`.
    public func resolve(_ text: String) throws(PointLocationError) -> [ResolvedPoint] {
        try resolve(PointLocation.parse(text))
    }

    /// `*0xADDRESS`: taken as given (it may be mid-function), named where the module can.
    private func resolve(address: RuntimeAddress) throws(PointLocationError) -> ResolvedPoint {
        guard let region = space.region(containing: address) else { throw .addressNotExecutable(address.rawValue) }
        let fileAddress = region.loadBias.fileAddress(of: address)
        let symbol = region.module?.symbol(containing: fileAddress)
        let location = region.module?.debugInfo?.location(at: fileAddress)
        return ResolvedPoint(
            runtimeAddress: address, module: region.path, function: symbol.map { FunctionResolver.shownName($0.name) },
            file: location.map { SourcePaths.tidied($0.file) }, line: location?.line)
    }
}

extension PointResolver {
    /// Every function name a location can use, as FUNCTION takes it (shown
    /// names: demangled, no symbol version), from every module: what `b`
    /// completes. Unsorted, possibly repeated.
    public func functionNames() -> [String] {
        var names: [String] = []
        for module in LoadedModule.all(in: space) {
            for table in [module.file.debugFile, module.file.elf].compactMap({ try? $0?.symbols }) {
                for symbol in table where symbol.kind == .function && !symbol.name.isEmpty {
                    names.append(FunctionResolver.shownName(symbol.name))
                }
            }
        }
        return names
    }
}
