import ELF
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Parsed modules shared across snapshots and processes, keyed by the file's
/// identity (device, inode, modification time, size), so a library mapped by
/// a hundred processes is read once and a rebuilt binary is read again.
public final class ModuleCache: Sendable {
    public static let shared = ModuleCache()

    struct FileIdentity: Hashable {
        var device: UInt64
        var inode: UInt64
        var modified: Int
        var modifiedNanoseconds: Int
        var size: Int64
    }

    private enum Entry {
        case module(ModuleFile)
        case failed(ELFError)
    }

    private let entries = Mutex<[FileIdentity: Entry]>([:])
    private let debugLocator: DebugFileLocator

    public init(debugLocator: DebugFileLocator = DebugFileLocator()) {
        self.debugLocator = debugLocator
    }

    /// Opens (or finds already parsed) the ELF file at `openPath`, shown as `displayPath`.
    public func module(openPath: String, displayPath: String) -> Result<ModuleFile, ELFError> {
        var info = stat()
        guard stat(openPath, &info) == 0 else {
            return .failure(.io(path: openPath, operation: "stat", errno: errno))
        }
        let identity = FileIdentity(
            device: UInt64(info.st_dev), inode: UInt64(info.st_ino), modified: info.st_mtim.tv_sec,
            modifiedNanoseconds: info.st_mtim.tv_nsec, size: Int64(info.st_size))
        if let cached = entries.withLock({ $0[identity] }) {
            switch cached {
            case .module(let module): return .success(module)
            case .failed(let error): return .failure(error)
            }
        }
        let entry: Entry
        do {
            let elf = try ELFFile.open(path: openPath)
            let debug = debugLocator.locate(for: elf, at: displayPath.hasPrefix("/") ? displayPath : openPath)?.file
            entry = .module(ModuleFile(path: displayPath, elf: elf, debugFile: debug))
        } catch {
            entry = .failed(error)
        }
        entries.withLock { $0[identity] = entry }
        switch entry {
        case .module(let module): return .success(module)
        case .failed(let error): return .failure(error)
        }
    }

    public var count: Int { entries.withLock { $0.count } }
}
