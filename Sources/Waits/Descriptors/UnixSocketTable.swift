/// What sock_diag (or /proc/PID/net/unix) says of one unix socket.
struct UnixSocket: Hashable, Sendable {
    var inode: UInt64
    /// Its bound name: a path, or "@name" when abstract; nil when unbound.
    var name: String?
    /// The connected peer socket's inode (sock_diag only).
    var peer: UInt64?
    var listening: Bool
    /// The socket's owner (sock_diag's UNIX_DIAG_UID; not in /proc/net/unix).
    var uid: UInt32?
}

enum UnixSocketName {
    /// sun_path bytes as sock_diag gives them: a leading NUL makes an abstract
    /// name, shown with "@" as ss does (NULs inside it too); a path may carry
    /// trailing NULs.
    static func decode<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> String? {
        guard let first = bytes.first else { return nil }
        if first == 0 {
            return "@" + String(decoding: bytes.dropFirst().map { $0 == 0 ? UInt8(ascii: "@") : $0 }, as: UTF8.self)
        }
        let path = bytes.prefix { $0 != 0 }
        return String(decoding: path, as: UTF8.self)
    }
}

/// /proc/PID/net/unix, the fallback for a socket sock_diag does not see (one
/// in another network namespace): name and listening, but no peer or owner.
enum ProcNetUnixParser {
    /// __SO_ACCEPTCON in the Flags column: the socket listens.
    static let acceptConnections: UInt32 = 1 << 16

    /// "Num: RefCount Protocol Flags Type St Inode [Path]", the inode padded
    /// with blanks; the path is the rest of the line.
    static func parse(_ text: String) -> [UInt64: UnixSocket] {
        var table: [UInt64: UnixSocket] = [:]
        for line in text.split(separator: "\n").dropFirst() {
            var fields: [Substring] = []
            var rest = line[...]
            while fields.count < 7 {
                rest = rest.drop { $0 == " " }
                guard !rest.isEmpty else { break }
                let field = rest.prefix { $0 != " " }
                fields.append(field)
                rest = rest[field.endIndex...]
            }
            guard fields.count == 7, let flags = UInt32(fields[3], radix: 16), let inode = UInt64(fields[6]) else { continue }
            let path = rest.drop { $0 == " " }
            table[inode] = UnixSocket(inode: inode, name: path.isEmpty ? nil : String(path), peer: nil,
                                      listening: flags & acceptConnections != 0, uid: nil)
        }
        return table
    }
}
