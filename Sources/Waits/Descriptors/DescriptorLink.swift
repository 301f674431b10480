/// What /proc/PID/fd/N links to, from the link's text alone: the key a
/// descriptor is matched by across processes.
enum DescriptorLink: Hashable, Sendable {
    /// "pipe:[I]"
    case pipe(inode: UInt64)
    /// "socket:[I]"
    case socket(inode: UInt64)
    /// "anon_inode:[eventfd]", "anon_inode:inotify": the name without brackets.
    case anonymous(String)
    /// A path: a file, FIFO, tty or device ("/tmp/x (deleted)" as the kernel says it).
    case path(String)
    /// Anything else ("net:[4026531833]", "mnt:[…]").
    case other(String)

    init(linkText text: String) {
        if let inode = Self.bracketedNumber(text, after: "pipe:[") {
            self = .pipe(inode: inode)
        } else if let inode = Self.bracketedNumber(text, after: "socket:[") {
            self = .socket(inode: inode)
        } else if text.hasPrefix("anon_inode:") {
            var name = text.dropFirst("anon_inode:".count)
            if name.hasPrefix("["), name.hasSuffix("]") { name = name.dropFirst().dropLast() }
            self = .anonymous(String(name))
        } else if text.hasPrefix("/") {
            self = .path(text)
        } else {
            self = .other(text)
        }
    }

    /// The link's text again, to check a holder still holds the same thing.
    var linkText: String {
        switch self {
        case .pipe(let inode): "pipe:[\(inode)]"
        case .socket(let inode): "socket:[\(inode)]"
        case .anonymous(let name): "anon_inode:\(name)"
        case .path(let path): path
        case .other(let text): text
        }
    }

    private static func bracketedNumber(_ text: String, after prefix: String) -> UInt64? {
        guard text.hasPrefix(prefix), text.hasSuffix("]") else { return nil }
        return UInt64(text.dropFirst(prefix.count).dropLast())
    }
}
