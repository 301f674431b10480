/// perf's jitdump file (`jit-PID.dump`, tools/perf/Documentation/jitdump-specification.txt),
/// which node `--perf-prof`, Java agents and others write: the same
/// names as a perf map, as binary records. The writer maps the file
/// executable so perf can find it in the process's maps; so do we.
///
/// Header: magic `JiTD` (0x4A695444, in the writer's byte order), version,
/// header size, ... Records: id (u32), total size (u32), timestamp (u64), then
/// for JIT_CODE_LOAD (0): pid, tid (u32), vma, code address, code size,
/// code index (u64), a NUL-terminated name, the code; for JIT_CODE_MOVE (1):
/// pid, tid, vma, old address, new address, size, index.
enum JITDump {
    static let magic: UInt32 = 0x4A69_5444

    /// Whether a mapped file is a jitdump by its name.
    static func isDumpPath(_ path: String) -> Bool {
        let name = path.split(separator: "/").last ?? ""
        return name.hasPrefix("jit-") && name.hasSuffix(".dump")
    }

    /// The entries of the dump at `path`, in the order written; nil when it
    /// is not a jitdump (or another byte order: we read x86_64 only).
    static func entries(path: String, limitBytes: Int = 256 << 20) -> [PerfMap.Entry]? {
        guard let bytes = FileSystem.contents(of: path, limit: limitBytes) else { return nil }
        return entries(bytes)
    }

    static func entries(_ bytes: [UInt8]) -> [PerfMap.Entry]? {
        guard u32(bytes, 0) == magic, let headerSize = u32(bytes, 8), headerSize >= 16 else { return nil }
        var entries: [PerfMap.Entry] = []
        var names: [UInt64: String] = [:]  // by code index, for moves
        var offset = Int(headerSize)
        while let id = u32(bytes, offset), let size = u32(bytes, offset + 4), size >= 16,
              offset + Int(size) <= bytes.count {
            let body = offset + 16
            switch id {
            case 0:
                guard let address = u64(bytes, body + 16), let codeSize = u64(bytes, body + 24),
                      let index = u64(bytes, body + 32), codeSize > 0, address <= UInt64.max - codeSize else { break }
                let nameStart = body + 40, end = offset + Int(size)
                guard nameStart < end, let nul = bytes[nameStart..<end].firstIndex(of: 0) else { break }
                let name = String(decoding: bytes[nameStart..<nul], as: UTF8.self)
                names[index] = name
                entries.append(PerfMap.Entry(range: address ..< address + codeSize, name: name))
            case 1:
                guard let newAddress = u64(bytes, body + 24), let codeSize = u64(bytes, body + 32),
                      let index = u64(bytes, body + 40), let name = names[index], codeSize > 0,
                      newAddress <= UInt64.max - codeSize else { break }
                entries.append(PerfMap.Entry(range: newAddress ..< newAddress + codeSize, name: name))
            default:
                break  // debug info, unwinding info, close: not names
            }
            offset += Int(size)
        }
        return entries
    }

    private static func u32(_ bytes: [UInt8], _ at: Int) -> UInt32? {
        guard at >= 0, at <= bytes.count - 4 else { return nil }
        return (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[at + $1]) << (8 * $1) }
    }

    private static func u64(_ bytes: [UInt8], _ at: Int) -> UInt64? {
        guard at >= 0, at <= bytes.count - 8 else { return nil }
        return (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[at + $1]) << (8 * $1) }
    }
}
