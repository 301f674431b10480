import Foundation

/// One socket as `ss` prints it: the ground truth lwpscope's socket peers are
/// checked against. Unix rows (`ss -xapn`) carry the socket's own inode and
/// its peer's; TCP rows (`ss -tanpe`) carry "addr:port" pairs and "ino:N".
public struct SocketEntry: Equatable, Sendable {
    /// "u_str", "tcp", …; nil when ss printed no Netid column (one kind asked for).
    public var netid: String?
    /// "ESTAB", "LISTEN", …
    public var state: String
    /// A unix socket's path ("*" when unnamed, "@name" when abstract), an inet "addr:port".
    public var local: String
    public var peer: String
    /// The socket's inode (a unix row's local port, an inet row's "ino:").
    public var inode: UInt64?
    /// A unix socket's peer inode (0 for a listener).
    public var peerInode: UInt64?
    public var users: [SocketUser]

    public init(netid: String? = nil, state: String, local: String, peer: String, inode: UInt64? = nil,
                peerInode: UInt64? = nil, users: [SocketUser] = []) {
        (self.netid, self.state, self.local, self.peer) = (netid, state, local, peer)
        (self.inode, self.peerInode, self.users) = (inode, peerInode, users)
    }
}

/// A holder in ss's `users:(("comm",pid=N,fd=M),…)`.
public struct SocketUser: Equatable, Sendable {
    public var command: String
    public var pid: Int32
    public var fd: Int32

    public init(command: String, pid: Int32, fd: Int32) {
        (self.command, self.pid, self.fd) = (command, pid, fd)
    }
}

public struct SocketTable: Sendable {
    public var entries: [SocketEntry]

    public init(entries: [SocketEntry]) { self.entries = entries }

    /// Every unix socket, listeners too, with holders: `ss -H -xapn`.
    public static func unix() throws -> SocketTable { SocketTable(parsing: try runTool("ss", ["-H", "-xapn"])) }

    /// Every TCP socket with holders and inodes: `ss -H -tanpe`.
    public static func tcp() throws -> SocketTable { SocketTable(parsing: try runTool("ss", ["-H", "-tanpe"])) }

    public init(parsing text: String) {
        entries = text.split(separator: "\n").compactMap { Self.parseRow(String($0)) }
    }

    public func entry(inode: UInt64) -> SocketEntry? { entries.first { $0.inode == inode } }

    /// The inet socket whose local and peer addresses are `entry`'s swapped.
    public func reversed(_ entry: SocketEntry) -> SocketEntry? {
        entries.first { $0.local == entry.peer && $0.peer == entry.local }
    }

    /// One row; nil for a line that is not one (a header, a blank).
    public static func parseRow(_ line: String) -> SocketEntry? {
        var rest = line
        var users: [SocketUser] = []
        if let start = rest.range(of: "users:(("), let end = rest.range(of: "))", range: start.upperBound..<rest.endIndex) {
            users = parseUsers(String(rest[start.upperBound..<end.lowerBound]))
            rest.replaceSubrange(start.lowerBound..<end.upperBound, with: " ")
        }
        var words = rest.split(whereSeparator: \.isWhitespace).map(String.init)
        var netid: String?
        if let first = words.first, first.first?.isLowercase == true {
            netid = first
            words.removeFirst()
        }
        let isUnix = netid?.hasPrefix("u_") == true || (netid == nil && words.count >= 7 && UInt64(words[4]) != nil)
        let addressCount = isUnix ? 4 : 2
        guard words.count >= 3 + addressCount, words[0].first?.isUppercase == true,
              Int(words[1]) != nil, Int(words[2]) != nil else { return nil }
        var entry = SocketEntry(netid: netid, state: words[0], local: words[3], peer: words[isUnix ? 5 : 4], users: users)
        if isUnix {
            entry.inode = UInt64(words[4])
            entry.peerInode = UInt64(words[6])
        }
        for word in words.dropFirst(3 + addressCount) where word.hasPrefix("ino:") {
            entry.inode = UInt64(word.dropFirst(4))
        }
        return entry
    }

    /// `"comm",pid=N,fd=M),("comm2",pid=…` (the text inside users:((…))).
    static func parseUsers(_ text: String) -> [SocketUser] {
        text.components(separatedBy: "),(").compactMap { item in
            guard let open = item.firstIndex(of: "\""), let close = item.lastIndex(of: "\""), open < close else { return nil }
            let command = String(item[item.index(after: open)..<close])
            var pid: Int32?, fd: Int32?
            for field in item[close...].split(separator: ",") {
                if field.hasPrefix("pid=") { pid = Int32(field.dropFirst(4)) }
                if field.hasPrefix("fd=") { fd = Int32(field.dropFirst(3)) }
            }
            guard let pid, let fd else { return nil }
            return SocketUser(command: command, pid: pid, fd: fd)
        }
    }
}
