import ELF

/// The unwind table covering a pc and how far its module was moved at load.
public struct ModuleUnwindInfo {
    public let table: UnwindTable
    /// Turns the runtime pc into the table's file addresses.
    public let loadBias: LoadBias

    public init(table: UnwindTable, loadBias: LoadBias) {
        self.table = table
        self.loadBias = loadBias
    }
}

/// What the unwinder needs to know about the target's address space.
/// Backtraces implements it from /proc/pid/maps and its ELF cache.
public protocol ModuleLookup {
    /// The CFI for runtime address `pc`, nil if its module has none.
    func unwindInfo(for pc: RuntimeAddress) -> ModuleUnwindInfo?
    /// Whether `address` lies in an executable mapping.
    func isExecutable(_ address: RuntimeAddress) -> Bool
    /// The Go pclntab's facts for runtime address `pc`, nil outside Go code.
    func goFrame(for pc: RuntimeAddress) -> GoFrame?
}

extension ModuleLookup {
    /// Most modules are not Go.
    public func goFrame(for pc: RuntimeAddress) -> GoFrame? { nil }
}

/// A fixed list of modules: enough for tests and for snapshots of a process.
public struct StaticModuleLookup: ModuleLookup {
    public struct Module {
        public let range: Range<RuntimeAddress>
        public let isExecutable: Bool
        public let unwindInfo: ModuleUnwindInfo?
        /// A Go pclntab's answers for pcs in `range`.
        public let goFrames: (@Sendable (RuntimeAddress) -> GoFrame?)?

        public init(range: Range<RuntimeAddress>, isExecutable: Bool = true, unwindInfo: ModuleUnwindInfo? = nil,
                    goFrames: (@Sendable (RuntimeAddress) -> GoFrame?)? = nil) {
            self.range = range
            self.isExecutable = isExecutable
            self.unwindInfo = unwindInfo
            self.goFrames = goFrames
        }
    }

    public var modules: [Module]

    public init(_ modules: [Module]) { self.modules = modules }

    public func unwindInfo(for pc: RuntimeAddress) -> ModuleUnwindInfo? {
        modules.first { $0.range.contains(pc) && $0.unwindInfo != nil }?.unwindInfo
    }

    public func isExecutable(_ address: RuntimeAddress) -> Bool {
        modules.contains { $0.isExecutable && $0.range.contains(address) }
    }

    public func goFrame(for pc: RuntimeAddress) -> GoFrame? {
        modules.first { $0.range.contains(pc) && $0.goFrames != nil }?.goFrames?(pc)
    }
}
