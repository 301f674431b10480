/// The socket tables one pass reads, each at most twice (once, and once
/// more when a socket made since is missing): sock_diag's unix sockets, and
/// per network namespace /proc/PID/net/{tcp,tcp6,udp,udp6,unix}.
final class SocketTables {
    let root: String
    private var unixDiag: [UInt64: UnixSocket]?
    private var unixDiagTries = 0
    private var procUnix: [String: [UInt64: UnixSocket]] = [:]
    private var inet: [String: [InetSocket]] = [:]
    private var inetRereads: Set<String> = []
    private var namespaces: [Int32: String] = [:]

    init(root: String) {
        self.root = root
    }

    /// sock_diag answers for our own network namespace only; a socket of a
    /// process in another one is found in its /proc/PID/net/unix instead,
    /// with name and state but no peer or owner.
    func procNetUnixSocket(inode: UInt64, pid: Int32) -> UnixSocket? {
        let namespace = networkNamespace(of: pid)
        if procUnix[namespace] == nil {
            procUnix[namespace] = (try? ProcEntryIO.readText("\(root)/\(pid)/net/unix").get()).map(ProcNetUnixParser.parse) ?? [:]
        }
        return procUnix[namespace]?[inode]
    }

    /// From the sock_diag dump alone (a peer's entry: its name and owner).
    /// With `refresh`, a socket missing is looked for in a new dump (once a pass).
    func diagnosedUnixSocket(inode: UInt64, refresh: Bool = false) -> UnixSocket? {
        if unixDiagTries == 0 || (refresh && unixDiagTries == 1 && unixDiag?[inode] == nil) {
            unixDiagTries += 1
            unixDiag = SockDiagUnixDump.dump() ?? unixDiag
        }
        return unixDiag?[inode]
    }

    func inetSocket(inode: UInt64, pid: Int32, protocol proto: InetProtocol, refresh: Bool = false) -> InetSocket? {
        if let socket = inetSockets(pid: pid, protocol: proto).first(where: { $0.inode == inode }) { return socket }
        let key = networkNamespace(of: pid) + " " + proto.rawValue
        guard refresh, !inetRereads.contains(key) else { return nil }
        inetRereads.insert(key)
        inet[key] = nil
        return inetSockets(pid: pid, protocol: proto).first { $0.inode == inode }
    }

    /// The table of `pid`'s network namespace, read once per pass.
    func inetSockets(pid: Int32, protocol proto: InetProtocol) -> [InetSocket] {
        let key = networkNamespace(of: pid) + " " + proto.rawValue
        if let table = inet[key] { return table }
        let table = (try? ProcEntryIO.readText("\(root)/\(pid)/net/\(proto.rawValue)").get()).map(InetSocketTableParser.parse) ?? []
        inet[key] = table
        return table
    }

    /// "net:[4026531833]", or the pid itself when the link may not be read
    /// (then that process's tables are its own).
    private func networkNamespace(of pid: Int32) -> String {
        if let known = namespaces[pid] { return known }
        let namespace = (try? ProcEntryIO.readLink("\(root)/\(pid)/ns/net").get()) ?? "pid \(pid)"
        namespaces[pid] = namespace
        return namespace
    }
}
