#if canImport(Glibc)
import Glibc
#endif

enum FileSystem {
    static func inode(of path: String) -> UInt64? {
        var info = stat()
        return stat(path, &info) == 0 ? UInt64(info.st_ino) : nil
    }
}

extension FileSystem {
    /// A regular file's bytes, at most `limit` of them; nil when it cannot be
    /// opened, is not a regular file, or (with `owners`) belongs to none of them.
    /// Never follows a last-component symlink when `owners` is given: a file
    /// in /tmp is anyone's to plant.
    static func contents(of path: String, limit: Int, owners: Set<UInt32>? = nil) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | (owners == nil ? 0 : O_NOFOLLOW))
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        if let owners, !owners.contains(info.st_uid) { return nil }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while bytes.count < limit {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, min($0.count, limit - bytes.count)) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            bytes += chunk[0..<count]
        }
        return bytes
    }
}
