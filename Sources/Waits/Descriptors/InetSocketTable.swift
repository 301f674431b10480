#if canImport(Glibc)
import Glibc
#endif

/// One end of an inet socket: the address bytes (4 for IPv4, 16 for IPv6;
/// a v4-mapped IPv6 address is kept as its IPv4 form, so a v4 client of a
/// dual-stack listener matches it) and the port.
struct InetEndpoint: Hashable, Sendable {
    var address: [UInt8]
    var port: UInt16

    var isUnset: Bool { port == 0 && address.allSatisfy { $0 == 0 } }
    var isWildcard: Bool { address.allSatisfy { $0 == 0 } }

    /// "127.0.0.1:5000", "[::1]:5000".
    var text: String {
        if address.count == 4 { return address.map(String.init).joined(separator: ".") + ":\(port)" }
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let shown = address.withUnsafeBytes { raw in
            inet_ntop(AF_INET6, raw.baseAddress, &buffer, socklen_t(buffer.count))
        }
        let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return shown == nil ? "?:\(port)" : "[\(text)]:\(port)"
    }

    /// "0100007F:1388": each 32-bit word printed in hex as the host sees it,
    /// so on a little-endian machine its bytes come out reversed; the port is
    /// plain hex.
    init?(procNetText text: Substring) {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let port = UInt16(parts[1], radix: 16) else { return nil }
        let hex = parts[0]
        guard hex.count == 8 || hex.count == 32 else { return nil }
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 8)
            guard let word = UInt32(hex[index..<next], radix: 16) else { return nil }
            withUnsafeBytes(of: word) { bytes.append(contentsOf: $0) }
            index = next
        }
        if bytes.count == 16, bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF {
            bytes = Array(bytes[12..<16])
        }
        self.address = bytes
        self.port = port
    }

    init(address: [UInt8], port: UInt16) {
        self.address = address
        self.port = port
    }
}

/// One row of /proc/PID/net/tcp, tcp6, udp or udp6.
struct InetSocket: Hashable, Sendable {
    var local: InetEndpoint
    var remote: InetEndpoint
    /// The kernel's TCP state number (0x0A is LISTEN; UDP uses 1 connected, 7 unconnected).
    var state: UInt8
    var uid: UInt32
    var inode: UInt64

    var listening: Bool { state == 0x0A }
    /// "127.0.0.1:5000 -> 127.0.0.1:40102"
    var addressText: String { "\(local.text) -> \(remote.text)" }
}

/// The inet protocols whose tables /proc/PID/net holds.
enum InetProtocol: String, CaseIterable, Sendable {
    case tcp, tcp6, udp, udp6

    /// The raw values are the same words.
    var kind: WaitObjectKind { WaitObjectKind(rawValue: rawValue)! }

    /// Both families of the same transport: where a reversed pair may be.
    var sameTransport: [InetProtocol] {
        switch self {
        case .tcp, .tcp6: [.tcp, .tcp6]
        case .udp, .udp6: [.udp, .udp6]
        }
    }
}

enum InetSocketTableParser {
    /// "sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ...";
    /// the header line and malformed rows are skipped.
    static func parse(_ text: String) -> [InetSocket] {
        text.split(separator: "\n").dropFirst().compactMap { line in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 10,
                  let local = InetEndpoint(procNetText: fields[1]),
                  let remote = InetEndpoint(procNetText: fields[2]),
                  let state = UInt8(fields[3], radix: 16),
                  let uid = UInt32(fields[7]),
                  let inode = UInt64(fields[9])
            else { return nil }
            return InetSocket(local: local, remote: remote, state: state, uid: uid, inode: inode)
        }
    }
}
