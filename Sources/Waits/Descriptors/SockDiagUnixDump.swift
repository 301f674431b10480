#if canImport(Glibc)
import Glibc
#endif

/// Every unix socket of our network namespace in one NETLINK_SOCK_DIAG dump,
/// as lsof and ss read them: name, peer inode, state and owner, by inode.
/// The messages are built and parsed as bytes (values from
/// linux/netlink.h, sock_diag.h and unix_diag.h, checked against this
/// machine's headers).
enum SockDiagUnixDump {
    static let netlinkSockDiag: Int32 = 4          // NETLINK_SOCK_DIAG
    static let sockDiagByFamily: UInt16 = 20       // SOCK_DIAG_BY_FAMILY
    static let requestDump: UInt16 = 0x1 | 0x300   // NLM_F_REQUEST | NLM_F_DUMP
    static let messageError: UInt16 = 2            // NLMSG_ERROR
    static let messageDone: UInt16 = 3             // NLMSG_DONE
    static let showName: UInt32 = 0x1              // UDIAG_SHOW_NAME
    static let showPeer: UInt32 = 0x4              // UDIAG_SHOW_PEER
    static let showUID: UInt32 = 0x40              // UDIAG_SHOW_UID
    static let attributeName: UInt16 = 0           // UNIX_DIAG_NAME
    static let attributePeer: UInt16 = 2           // UNIX_DIAG_PEER
    static let attributeUID: UInt16 = 7            // UNIX_DIAG_UID
    static let stateListen: UInt8 = 10             // TCP_LISTEN, which unix sockets share

    /// The sockets, or nil when netlink refused (then /proc/PID/net/unix serves).
    static func dump() -> [UInt64: UnixSocket]? {
        let fd = socket(AF_NETLINK, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), netlinkSockDiag)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        // The kernel answers a dump at once; the timeout only guards against a hang.
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let message = request(sequence: 1)
        // No address: an unconnected netlink socket sends to the kernel.
        guard message.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, 0) }) == message.count else { return nil }
        var table: [UInt64: UnixSocket] = [:]
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { return nil }
            switch parse(buffer[0..<n], into: &table) {
            case .more: continue
            case .done: return table
            case .failed: return nil
            }
        }
    }

    /// nlmsghdr (16 bytes) then unix_diag_req (24): every state, name, peer and uid.
    static func request(sequence: UInt32) -> [UInt8] {
        var bytes: [UInt8] = []
        func put<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value) { bytes.append(contentsOf: $0) } }
        put(UInt32(40)); put(sockDiagByFamily); put(requestDump); put(sequence); put(UInt32(0))
        put(UInt8(AF_UNIX)); put(UInt8(0)); put(UInt16(0))  // family, protocol, pad
        put(UInt32.max)                                      // udiag_states: all
        put(UInt32(0))                                       // udiag_ino: any
        put(showName | showPeer | showUID)
        put(UInt32.max); put(UInt32.max)                     // cookie: none
        return bytes
    }

    enum Outcome: Equatable { case more, done, failed(errno: Int32) }

    /// One datagram of the answer: several messages, each 4-aligned; a
    /// truncated or malformed message ends the datagram, never reads past it.
    static func parse(_ bytes: ArraySlice<UInt8>, into table: inout [UInt64: UnixSocket]) -> Outcome {
        var offset = bytes.startIndex
        while offset + 16 <= bytes.endIndex {
            let length = Int(load(UInt32.self, bytes, offset))
            let type = load(UInt16.self, bytes, offset + 4)
            guard length >= 16, offset + length <= bytes.endIndex else { return .failed(errno: EPROTO) }
            switch type {
            case messageDone: return .done
            case messageError:
                let code = length >= 20 ? load(Int32.self, bytes, offset + 16) : -EPROTO
                return .failed(errno: -code)
            case sockDiagByFamily:
                if let socket = unixSocket(bytes[(offset + 16)..<(offset + length)]) { table[socket.inode] = socket }
            default: break
            }
            offset += (length + 3) & ~3
        }
        return .more
    }

    /// unix_diag_msg (16 bytes: family, type, state, pad, inode, cookie) then attributes.
    static func unixSocket(_ body: ArraySlice<UInt8>) -> UnixSocket? {
        guard body.count >= 16 else { return nil }
        let start = body.startIndex
        var socket = UnixSocket(inode: UInt64(load(UInt32.self, body, start + 4)), name: nil, peer: nil,
                                listening: body[start + 2] == stateListen, uid: nil)
        var offset = start + 16
        while offset + 4 <= body.endIndex {
            let length = Int(load(UInt16.self, body, offset))
            let type = load(UInt16.self, body, offset + 2)
            guard length >= 4, offset + length <= body.endIndex else { break }
            let payload = body[(offset + 4)..<(offset + length)]
            switch type {
            case attributeName: socket.name = UnixSocketName.decode(payload)
            case attributePeer where payload.count >= 4:
                let peer = load(UInt32.self, payload, payload.startIndex)
                socket.peer = peer == 0 ? nil : UInt64(peer)
            case attributeUID where payload.count >= 4: socket.uid = load(UInt32.self, payload, payload.startIndex)
            default: break
            }
            offset += (length + 3) & ~3
        }
        return socket
    }

    /// A host-endian integer at an unaligned offset (netlink speaks host order).
    private static func load<T: FixedWidthInteger>(_: T.Type, _ bytes: ArraySlice<UInt8>, _ offset: Int) -> T {
        bytes[offset..<(offset + MemoryLayout<T>.size)].withUnsafeBytes { $0.loadUnaligned(as: T.self) }
    }
}
