#if canImport(Glibc)
import Glibc
#endif

/// What tells one state of a file from another without reading it: any
/// write moves its change time (ctime), which no one can set back, and a
/// replacement has another inode.
struct FileIdentity: Equatable, Sendable {
    var device: UInt64
    var inode: UInt64
    var size: Int64
    var modifiedSeconds: Int64, modifiedNanoseconds: Int64
    var changedSeconds: Int64, changedNanoseconds: Int64

    init(_ status: stat) {
        device = UInt64(status.st_dev)
        inode = UInt64(status.st_ino)
        size = Int64(status.st_size)
        modifiedSeconds = Int64(status.st_mtim.tv_sec)
        modifiedNanoseconds = Int64(status.st_mtim.tv_nsec)
        changedSeconds = Int64(status.st_ctim.tv_sec)
        changedNanoseconds = Int64(status.st_ctim.tv_nsec)
    }

    init(words: [UInt64]) {
        device = words[0]
        inode = words[1]
        size = Int64(bitPattern: words[2])
        modifiedSeconds = Int64(bitPattern: words[3])
        modifiedNanoseconds = Int64(bitPattern: words[4])
        changedSeconds = Int64(bitPattern: words[5])
        changedNanoseconds = Int64(bitPattern: words[6])
    }

    var words: [UInt64] {
        [device, inode, UInt64(bitPattern: size), UInt64(bitPattern: modifiedSeconds), UInt64(bitPattern: modifiedNanoseconds),
         UInt64(bitPattern: changedSeconds), UInt64(bitPattern: changedNanoseconds)]
    }

    /// Seconds since the last change, by the wall clock ctime is kept in.
    func secondsSinceChange() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Double(Int64(now.tv_sec) - changedSeconds) + Double(Int64(now.tv_nsec) - changedNanoseconds) / 1e9
    }
}
