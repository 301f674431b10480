import Foundation
import ProcFS

/// Where a runtime address of a live process lies in a file, for looking it
/// up in that file's symbol table: /proc/PID/maps gives the file and the file
/// offset, and the file's LOAD program headers (`readelf -lW`) turn the offset
/// into the link-time address that `nm` prints.
public struct ProcessFileAddresses: Sendable {
    /// A LOAD program header: file bytes [offset, offset + size) appear at
    /// link-time address `address`.
    public struct LoadSegment: Equatable, Sendable {
        public var offset: UInt64
        public var address: UInt64
        public var fileSize: UInt64
    }

    private let mappings: [MemoryMapping]

    /// Reads the process's mappings now, while it lives.
    public init(pid: Int32) {
        mappings = (ProcFS().memoryMap(pid) ?? []).filter(\.isFileBacked)
    }

    /// The file and link-time address of `runtimeAddress`, or nil when no
    /// file is mapped there or no LOAD segment holds that offset.
    public func fileAddress(of runtimeAddress: UInt64) -> (path: String, address: UInt64)? {
        guard let mapping = mappings.first(where: { $0.contains(runtimeAddress) }) else { return nil }
        let offset = mapping.fileOffset + (runtimeAddress - mapping.start)
        guard let segment = Self.loadSegments(of: mapping.path).first(where: {
            offset >= $0.offset && offset < $0.offset + $0.fileSize
        }) else { return nil }
        return (mapping.path, segment.address + (offset - segment.offset))
    }

    private static let cache = LockedCache<String, [LoadSegment]>()

    static func loadSegments(of path: String) -> [LoadSegment] {
        cache.value(for: path) {
            guard let readelf = findExecutable("readelf"), let text = try? run(readelf, ["-lW", path]).stdout else { return [] }
            return parse(programHeaders: text)
        }
    }

    /// `  LOAD  0x026000 0x0000000000026000 0x0000000000026000 0x1550fc 0x1550fc R E 0x1000`:
    /// offset, virtual address, physical address, file size, memory size.
    public static func parse(programHeaders text: String) -> [LoadSegment] {
        text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 6, fields[0] == "LOAD" else { return nil }
            func hex(_ field: Substring) -> UInt64? { UInt64(field.dropFirst(2), radix: 16) }
            guard let offset = hex(fields[1]), let address = hex(fields[2]), let size = hex(fields[4]) else { return nil }
            return LoadSegment(offset: offset, address: address, fileSize: size)
        }
    }
}

/// A dictionary filled on first use, safe to share between tests.
final class LockedCache<Key: Hashable & Sendable, Value: Sendable>: @unchecked Sendable {
    private var values: [Key: Value] = [:]
    private let lock = NSLock()

    func value(for key: Key, _ make: () -> Value) -> Value {
        lock.lock()
        if let value = values[key] {
            lock.unlock()
            return value
        }
        lock.unlock()
        let value = make()
        lock.lock()
        values[key] = value
        lock.unlock()
        return value
    }
}
