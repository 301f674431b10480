import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Ground truth about descriptors, read straight from /proc/PID/fd and
/// fdinfo, for checking what lwpscope says about them.
public enum ProcDescriptors {
    /// What /proc/PID/fd/N links to ("pipe:[123]", "socket:[456]", a path).
    public static func target(_ pid: Int32, fd: Int32) -> String? {
        try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/\(fd)")
    }

    /// Every descriptor of `pid` and its link.
    public static func all(_ pid: Int32) -> [Int32: String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd")) ?? []
        var links: [Int32: String] = [:]
        for name in names {
            guard let fd = Int32(name), let link = target(pid, fd: fd) else { continue }
            links[fd] = link
        }
        return links
    }

    /// The inode in "pipe:[123]" or "socket:[123]" when the link is of `kind`.
    public static func inode(_ link: String, kind: String) -> UInt64? {
        guard link.hasPrefix("\(kind):["), link.hasSuffix("]") else { return nil }
        return UInt64(link.dropFirst(kind.count + 2).dropLast())
    }

    /// The descriptors of `pid` whose link is `link`.
    public static func holding(_ pid: Int32, link: String) -> [Int32] {
        all(pid).filter { $0.value == link }.map(\.key).sorted()
    }

    /// The open flags in fdinfo ("flags:\t02000001", octal).
    public static func flags(_ pid: Int32, fd: Int32) -> Int32? {
        fdinfoLines(pid, fd: fd).lazy.compactMap { line -> Int32? in
            guard line.hasPrefix("flags:") else { return nil }
            return Int32(line.dropFirst("flags:".count).trimmingCharacters(in: .whitespaces), radix: 8)
        }.first
    }

    /// An epoll descriptor's watched descriptors (fdinfo "tfd:" lines), in order.
    public static func epollTargets(_ pid: Int32, fd: Int32) -> [Int32] {
        fdinfoLines(pid, fd: fd).compactMap { line in
            guard line.hasPrefix("tfd:") else { return nil }
            return line.dropFirst(4).split(separator: " ").first.flatMap { Int32($0) }
        }
    }

    static func fdinfoLines(_ pid: Int32, fd: Int32) -> [String] {
        ((try? String(contentsOfFile: "/proc/\(pid)/fdinfo/\(fd)", encoding: .utf8)) ?? "")
            .split(separator: "\n").map(String.init)
    }
}
