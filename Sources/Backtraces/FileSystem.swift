#if canImport(Glibc)
import Glibc
#endif

enum FileSystem {
    static func inode(of path: String) -> UInt64? {
        var info = stat()
        return stat(path, &info) == 0 ? UInt64(info.st_ino) : nil
    }
}
