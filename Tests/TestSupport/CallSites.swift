import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Whether a return address really follows a call, read from the target's
/// memory through /proc/PID/mem (as root, no ptrace attach needed).
public enum CallSites {
    /// A real return address comes right after a call: `e8 rel32`, or `ff /2`
    /// with any of its operand forms (2 to 7 bytes, with or without REX).
    /// Unreadable memory counts as a call, so nothing is excluded on a guess.
    public static func followsCall(pid: Int32, returnAddress pc: UInt64) -> Bool {
        guard pc >= 8, let bytes = read(pid: pid, address: pc - 8, count: 8) else { return true }
        return followsCall(bytesBefore: bytes)
    }

    /// The same on the 8 bytes before a return address.
    public static func followsCall(bytesBefore bytes: [UInt8]) -> Bool {
        guard bytes.count == 8 else { return true }
        if bytes[3] == 0xE8 { return true }  // call rel32 (5 bytes)
        for length in 2...7 {
            let start = 8 - length
            var i = start
            if bytes[i] & 0xF0 == 0x40, length > 2 { i += 1 }  // REX prefix
            guard i < 7, bytes[i] == 0xFF else { continue }
            let modrm = bytes[i + 1]
            guard (modrm >> 3) & 7 == 2 else { continue }  // /2: call near indirect
            let mod = modrm >> 6, rm = modrm & 7
            var size = 2 + (i - start)
            if mod != 3, rm == 4 { size += 1 }  // SIB
            if mod == 1 { size += 1 } else if mod == 2 || (mod == 0 && rm == 5) { size += 4 }
            if mod == 0, rm == 4, bytes[i + 2] & 7 == 5 { size += 4 }  // SIB with no base: disp32
            if size == length { return true }
        }
        return false
    }

    static func read(pid: Int32, address: UInt64, count: Int) -> [UInt8]? {
        let fd = open("/proc/\(pid)/mem", O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: count)
        let n = pread(fd, &bytes, count, off_t(Int64(bitPattern: address)))
        return n == count ? bytes : nil
    }
}
