import ELF
import Engine
import GoPCLN
import ProcFS
import Unwind

/// The executable regions of one process and the modules behind them: what
/// the unwinder asks about a pc, and what the symbolizer names it with.
public struct AddressSpace: ModuleLookup, Sendable {
    /// One executable mapping; `module` is nil for anonymous code (a JIT) or a
    /// file that is not ELF.
    public struct Region: Sendable {
        public var range: Range<RuntimeAddress>
        public var path: String
        public var module: ModuleFile?
        /// Turns the region's runtime addresses into the module's file addresses.
        public var loadBias: LoadBias
        /// Why there is no module, when there is none.
        public var problem: String?
        /// The file is ELF for another architecture or class (a 32-bit program).
        public var isForeignArchitecture = false

        /// Code in no file: what a JIT generates (`[anon:…]` when named by prctl).
        public var isAnonymous: Bool { path.isEmpty || path.hasPrefix("[anon") }
    }

    public let pid: Int32
    /// Sorted by start address, non-overlapping.
    public let regions: [Region]
    /// What a JIT says it put where (`/tmp/perf-PID.map`), for code in no file.
    public let perfMap: PerfMap?

    public init(pid: Int32, regions: [Region], perfMap: PerfMap? = nil) {
        self.pid = pid
        self.regions = regions.sorted { $0.range.lowerBound < $1.range.lowerBound }
        self.perfMap = perfMap
    }

    /// Reads /proc/PID/maps and opens each executable file mapping through the
    /// module cache. Deleted files, memfds and files from another mount
    /// namespace are read through /proc/PID/map_files or /proc/PID/root.
    public static func load(pid: Int32, procfs: ProcFS = ProcFS(), cache: ModuleCache = .shared) -> AddressSpace? {
        guard let maps = procfs.memoryMap(pid) else { return nil }
        var regions: [Region] = []
        var jitDumps: [String] = []
        for mapping in maps where mapping.isExecutable {
            // A JIT maps its jitdump executable only so that tools find it: no code runs there.
            if mapping.inode != 0, JITDump.isDumpPath(mapping.path) {
                jitDumps.append(ModulePaths.openPath(pid: pid, mapping: mapping, procRoot: procfs.root))
                continue
            }
            let start = RuntimeAddress(mapping.start)
            var region = Region(range: start ..< RuntimeAddress(mapping.end), path: mapping.path, module: nil, loadBias: .zero)
            if mapping.path == "[vdso]" {
                region.module = VDSO.module(pid: pid, mapping: mapping)
                region.loadBias = region.module?.elf.loadBias(mappingStart: start, fileOffset: 0) ?? .zero
            } else if mapping.inode != 0 {
                let openPath = ModulePaths.openPath(pid: pid, mapping: mapping, procRoot: procfs.root)
                switch cache.module(openPath: openPath, displayPath: ModulePaths.displayPath(mapping.path)) {
                case .success(let module):
                    region.module = module
                    region.loadBias = module.elf.loadBias(
                        mappingStart: start, fileOffset: mapping.fileOffset, executable: true) ?? .zero
                case .failure(let error):
                    region.problem = "\(error)"
                    if case .unsupportedClass = error { region.isForeignArchitecture = true }
                    if case .wrongMachine = error { region.isForeignArchitecture = true }
                }
            }
            regions.append(region)
        }
        return AddressSpace(pid: pid, regions: regions, perfMap: jitNames(pid: pid, regions: regions, dumps: jitDumps, procfs: procfs))
    }

    /// What the process's JIT says it generated: its jitdumps, then its perf
    /// map (written later, so it wins). Only a process with code in no file
    /// can have JIT code to name.
    static func jitNames(pid: Int32, regions: [Region], dumps: [String], procfs: ProcFS) -> PerfMap? {
        guard regions.contains(where: \.isAnonymous) || !dumps.isEmpty, let status = procfs.status(pid) else { return nil }
        let dumped = dumps.flatMap { JITDump.entries(path: $0) ?? [] }
        let map = PerfMap.load(pid: pid, namespacePID: status.namespacePIDs.last, owner: status.realUserID,
                               procRoot: procfs.root)
        guard !dumped.isEmpty || map != nil else { return nil }
        return PerfMap(entries: dumped + (map?.entries ?? []))
    }

    /// The process runs code lwpscope cannot unwind (a 32-bit program): its
    /// main executable's mapping is ELF of another class or machine.
    public var isForeignArchitecture: Bool {
        regions.contains { $0.isForeignArchitecture }
    }

    public func region(containing address: RuntimeAddress) -> Region? {
        var low = 0
        var high = regions.count
        while low < high {
            let mid = (low + high) / 2
            if regions[mid].range.upperBound <= address { low = mid + 1 } else { high = mid }
        }
        guard low < regions.count, regions[low].range.contains(address) else { return nil }
        return regions[low]
    }

    // MARK: ModuleLookup

    public func unwindInfo(for pc: RuntimeAddress) -> ModuleUnwindInfo? {
        guard let region = region(containing: pc), let table = region.module?.unwindTable else { return nil }
        return ModuleUnwindInfo(table: table, loadBias: region.loadBias)
    }

    public func isExecutable(_ address: RuntimeAddress) -> Bool {
        region(containing: address) != nil
    }

    public func goFrame(for pc: RuntimeAddress) -> GoFrame? {
        guard let region = region(containing: pc), let table = region.module?.goTable else { return nil }
        let address = region.loadBias.fileAddress(of: pc).rawValue
        guard let function = table.function(containing: address) else { return nil }
        let delta = table.spDelta(of: function, at: address).flatMap { $0 >= 0 ? UInt64($0) : nil }
        return GoFrame(spDelta: delta, isTopFrame: table.isTopFrame(function), writesSP: function.flags.contains(.writesSP))
    }
}

/// Where to open a mapped file from, and how to show its name.
public enum ModulePaths {
    static func openPath(pid: Int32, mapping: MemoryMapping, procRoot: String) -> String {
        let start = String(mapping.start, radix: 16)
        let end = String(mapping.end, radix: 16)
        let mapFile = "\(procRoot)/\(pid)/map_files/\(start)-\(end)"
        // Gone from the file system, or never on it: only map_files still has it.
        if mapping.isDeleted || !mapping.path.hasPrefix("/") { return mapFile }
        // Through the process's root, so a container's /usr/lib is the one we read.
        let rooted = "\(procRoot)/\(pid)/root\(mapping.path)"
        return FileSystem.inode(of: rooted) == mapping.inode ? rooted : mapFile
    }

    /// A mapping's path (or /proc/PID/exe's target) without the " (deleted)"
    /// the kernel adds once the file is gone: the module's name.
    public static func displayPath(_ path: String) -> String {
        path.hasSuffix(" (deleted)") ? String(path.dropLast(" (deleted)".count)) : path
    }
}
