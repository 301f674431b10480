#if canImport(Glibc)
import Glibc
#endif

/// Reads whole files and directory listings under /proc with plain syscalls.
///
/// /proc files report a size of 0, so they are read until EOF; a process that
/// vanishes between calls simply yields nil, never an error the caller must map.
enum ProcFile {
    static func read(_ path: String) -> [UInt8]? {
        read(openedAs: open(path, O_RDONLY | O_CLOEXEC))
    }

    /// `path` relative to the open directory `directory`: for thousands of
    /// files under one /proc/PID/task, a path walk from / each time was a
    /// good part of their cost.
    static func read(in directory: Int32, _ path: String) -> [UInt8]? {
        read(openedAs: openat(directory, path, O_RDONLY | O_CLOEXEC))
    }

    static func readText(in directory: Int32, _ path: String) -> String? {
        read(in: directory, path).map { String(decoding: $0, as: UTF8.self) }
    }

    private static func read(openedAs fd: Int32) -> [UInt8]? {
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                // ESRCH mid-read: the task went away after open.
                return bytes.isEmpty ? nil : bytes
            }
            if n == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<n])
        }
    }

    static func readText(_ path: String) -> String? {
        read(path).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Numeric entries of a directory such as /proc or /proc/PID/task, sorted.
    static func numericEntries(_ path: String) -> [Int32]? {
        guard let dir = opendir(path) else { return nil }
        defer { closedir(dir) }
        var result: [Int32] = []
        while let entry = readdir(dir) {
            let value = withUnsafeBytes(of: entry.pointee.d_name) { raw -> Int32? in
                var number: Int32 = 0
                var digits = 0
                for byte in raw {
                    if byte == 0 { break }
                    guard byte >= 48, byte <= 57 else { return nil }
                    let (shifted, overflow) = number.multipliedReportingOverflow(by: 10)
                    guard !overflow else { return nil }
                    number = shifted + Int32(byte - 48)
                    digits += 1
                }
                return digits > 0 ? number : nil
            }
            if let value { result.append(value) }
        }
        return result.sorted()
    }

    static func readLink(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink(path, &buffer, buffer.count - 1)
        guard n >= 0 else { return nil }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
