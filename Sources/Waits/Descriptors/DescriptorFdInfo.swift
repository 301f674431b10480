/// /proc/PID/fdinfo/N: which way the descriptor goes and, for an epoll, what
/// it watches.
struct DescriptorFdInfo: Hashable, Sendable {
    var readable = true
    var writable = true
    /// An epoll's "tfd:" lines, in fd order (the kernel lists them in its tree's order).
    var watched: [Int32] = []

    /// "flags:" is octal; O_ACCMODE (3) of it is O_RDONLY 0, O_WRONLY 1, O_RDWR 2.
    static func parse(_ text: String) -> DescriptorFdInfo {
        var info = DescriptorFdInfo()
        for line in text.split(separator: "\n") {
            if line.hasPrefix("flags:"), let flags = Int(line.dropFirst(6).trimmingSpaces, radix: 8) {
                switch flags & 3 {
                case 0: (info.readable, info.writable) = (true, false)
                case 1: (info.readable, info.writable) = (false, true)
                default: (info.readable, info.writable) = (true, true)
                }
            } else if line.hasPrefix("tfd:") {
                // "tfd:        5 events:       19 data: ..."
                let value = line.dropFirst(4).trimmingSpaces.prefix { $0 != " " && $0 != "\t" }
                if let fd = Int32(value) { info.watched.append(fd) }
            }
        }
        info.watched.sort()
        return info
    }
}

extension Substring {
    /// Without leading and trailing blanks and tabs (no Foundation here).
    var trimmingSpaces: Substring {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let start = firstIndex(where: { !isBlank($0) }) else { return self[endIndex...] }
        let end = lastIndex(where: { !isBlank($0) })!
        return self[start...end]
    }
}
