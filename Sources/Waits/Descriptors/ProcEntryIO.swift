#if canImport(Glibc)
import Glibc
#endif

/// Why a /proc entry could not be read: the errno, which `describe` turns into
/// "closed", "no permission" or "process gone".
struct ProcReadError: Error, Hashable {
    let code: Int32
}

/// Links and small files under /proc, read with plain syscalls relative to a
/// directory fd when one is open (a holder scan reads thousands of links), and
/// failing with the errno rather than nil: a descriptor that vanished and one
/// we may not read must be told apart.
enum ProcEntryIO {
    static func readLink(_ path: String, in directory: Int32 = AT_FDCWD) -> Result<String, ProcReadError> {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 4096) { buffer in
            let n = readlinkat(directory, path, buffer.baseAddress!, buffer.count)
            guard n >= 0 else { return .failure(ProcReadError(code: errno)) }
            return .success(String(decoding: UnsafeRawBufferPointer(start: buffer.baseAddress, count: n), as: UTF8.self))
        }
    }

    static func readText(_ path: String, in directory: Int32 = AT_FDCWD) -> Result<String, ProcReadError> {
        let fd = openat(directory, path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .failure(ProcReadError(code: errno)) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16384)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            if n < 0 { return .failure(ProcReadError(code: errno)) }
            if n == 0 { return .success(String(decoding: bytes, as: UTF8.self)) }
            bytes.append(contentsOf: chunk[0..<n])
        }
    }

    /// stat(2) following the link: /proc/PID/fd/N gives the open file's own inode,
    /// even when the file was deleted or renamed.
    static func status(_ path: String, in directory: Int32 = AT_FDCWD) -> Result<stat, ProcReadError> {
        var info = stat()
        guard fstatat(directory, path, &info, 0) == 0 else { return .failure(ProcReadError(code: errno)) }
        return .success(info)
    }
}
