#if canImport(Glibc)
import Glibc
#endif

/// Reads and writes a process's code through /proc/PID/mem. The kernel
/// writes there with FOLL_FORCE, so read-only code pages take the write
/// (copy-on-write, this process only), which `process_vm_writev` refuses;
/// and it needs no thread stopped, so a point is set while everyone runs.
enum CodeMemory {
    static func read(_ pid: Int32, _ address: UInt64, count: Int) -> [UInt8]? {
        let fd = open("/proc/\(pid)/mem", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: count)
        let got = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, count, off_t(Int64(bitPattern: address))) }
        return got == count ? bytes : nil
    }

    static func write(_ pid: Int32, _ address: UInt64, _ bytes: [UInt8]) throws(SystemError) {
        let fd = open("/proc/\(pid)/mem", O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { throw SystemError(code: errno, call: "open /proc/\(pid)/mem") }
        defer { close(fd) }
        let wrote = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress, bytes.count, off_t(Int64(bitPattern: address))) }
        guard wrote == bytes.count else { throw SystemError(code: wrote < 0 ? errno : EIO, call: "pwrite /proc/\(pid)/mem") }
    }
}
