#if canImport(Glibc)
import Glibc
#endif

/// A process's start time: field 22 of /proc/PID/stat, in clock ticks since
/// boot. A pid and its start time name one process; a reused pid has a
/// later start time. Records carry it so the guardian never writes into a
/// stranger that inherited the pid.
public enum ProcessStartTime {
    /// `pid`'s start time now, or nil when it is gone (or not readable).
    public static func of(_ pid: Int32) -> UInt64? {
        let directory = open("/proc/\(pid)", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard directory >= 0 else { return nil }
        defer { close(directory) }
        return read(inProcessDirectory: directory)
    }

    /// From an open /proc/PID directory: it stays that process's even if the
    /// pid is reused (reads fail with ESRCH once it has exited).
    static func read(inProcessDirectory directory: Int32) -> UInt64? {
        let stat = openat(directory, "stat", O_RDONLY | O_CLOEXEC)
        guard stat >= 0 else { return nil }
        defer { close(stat) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        var filled = 0
        while filled < buffer.count {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(stat, $0.baseAddress! + filled, $0.count - filled) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { break }
            filled += n
        }
        return parse(stat: buffer[..<filled])
    }

    /// Field 22 of a stat line. The command name (field 2) may hold spaces
    /// and parentheses, so fields are counted from its last `)`.
    static func parse(stat: ArraySlice<UInt8>) -> UInt64? {
        guard let close = stat.lastIndex(of: UInt8(ascii: ")")) else { return nil }
        let fields = stat[(close + 1)...].split(separator: UInt8(ascii: " "))
        // After ")": field 3 (state) is fields[0], so field 22 is fields[19].
        guard fields.count > 19 else { return nil }
        return decimalNumber(fields[19], as: UInt64.self)
    }
}
