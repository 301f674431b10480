/// Who holds the other end. Every holder is checked again (its link still
/// names the same object) before it is named, so an fd closed or reused since
/// the index was built, or a process gone, is left out rather than shown wrong.
extension FileDescriptorReader {
    /// At most this many unreadable processes are named as possible holders.
    static let unreadableLimit = 8

    public func peers(of info: FileDescriptorInfo, pid: Int32) -> [WaitPeer] {
        guard let inode = info.inode else { return [] }
        let asking = DescriptorHolder(pid: pid, fd: info.fd)
        switch info.kind {
        case .pipe:
            return pipePeers(of: info, link: .pipe(inode: inode), asking: asking)
        case .fifo:
            guard let path = info.path else { return [] }
            return pipePeers(of: info, link: .path(path), asking: asking)
        case .unix:
            return unixPeers(inode: inode, asking: asking, listening: info.listening)
        case .tcp, .tcp6, .udp, .udp6:
            return inetPeers(inode: inode, kind: info.kind, asking: asking, listening: info.listening)
        default:
            return []
        }
    }

    /// A reader's peers are the writers and a writer's the readers (an
    /// O_RDWR end is both); when none may be read, every unreadable process
    /// could be one.
    private func pipePeers(of info: FileDescriptorInfo, link: DescriptorLink, asking: DescriptorHolder) -> [WaitPeer] {
        let (index, ends) = liveHolders(of: link, witness: asking) { index in
            index.holders(of: link).filter { $0 != asking }.compactMap { holder -> (DescriptorHolder, DescriptorFdInfo)? in
                guard stillHolds(holder, link, inode: info.inode),
                      case .success(let text) = ProcEntryIO.readText("\(procfs.root)/\(holder.pid)/fdinfo/\(holder.fd)")
                else { return nil }
                return (holder, DescriptorFdInfo.parse(text))
            }
        }
        let opposite = ends.filter { _, end in
            (info.readable && end.writable) || (info.writable && end.readable)
        }.map(\.0)
        let peers = named(opposite)
        return peers.isEmpty ? unreadablePeers(index, owner: nil, near: asking.pid) : peers
    }

    /// The holders of the peer socket; a listener has none.
    private func unixPeers(inode: UInt64, asking: DescriptorHolder, listening: Bool) -> [WaitPeer] {
        guard !listening, let peerInode = sockets.diagnosedUnixSocket(inode: inode)?.peer else { return [] }
        let link = DescriptorLink.socket(inode: peerInode)
        let (index, holders) = liveHolders(of: link, witness: asking, own: .socket(inode: inode)) { index in
            index.holders(of: link).filter { stillHolds($0, link, inode: nil) }
        }
        let peers = named(holders)
        guard peers.isEmpty, let owner = sockets.diagnosedUnixSocket(inode: peerInode)?.uid else { return peers }
        return unreadablePeers(index, owner: owner, near: asking.pid)
    }

    /// The socket whose local and remote are this one's swapped; none when
    /// the remote is another host (or a UDP socket talks to a wildcard-bound
    /// one: then the local socket bound to the remote port, if any).
    private func inetPeers(inode: UInt64, kind: WaitObjectKind, asking: DescriptorHolder, listening: Bool) -> [WaitPeer] {
        guard !listening, let proto = InetProtocol(rawValue: kind.rawValue),
              let socket = sockets.inetSocket(inode: inode, pid: asking.pid, protocol: proto),
              !socket.remote.isUnset
        else { return [] }
        let candidates = proto.sameTransport.flatMap { sockets.inetSockets(pid: asking.pid, protocol: $0) }.filter { $0.inode != 0 }
        var other = candidates.first { $0.local == socket.remote && $0.remote == socket.local }
        if other == nil, proto == .udp || proto == .udp6 {
            other = candidates.first {
                $0.remote.isUnset && $0.local.port == socket.remote.port && ($0.local.isWildcard || $0.local.address == socket.remote.address)
            }
        }
        guard let other else { return [] }
        let link = DescriptorLink.socket(inode: other.inode)
        let (index, holders) = liveHolders(of: link, witness: asking, own: .socket(inode: inode)) { index in
            index.holders(of: link).filter { stillHolds($0, link, inode: nil) }
        }
        let peers = named(holders)
        return peers.isEmpty ? unreadablePeers(index, owner: other.uid, near: asking.pid) : peers
    }

    /// The holders `live` keeps of those an index lists for `link`. When it
    /// keeps fewer than listed, a holder has let go since the scan: an index
    /// from an earlier pass is proved stale and scanned again (once a pass),
    /// so a descriptor handed to another process meanwhile is found there.
    private func liveHolders<Holder>(
        of link: DescriptorLink, witness: DescriptorHolder, own: DescriptorLink? = nil,
        _ live: (DescriptorHolderIndex) -> [Holder]
    ) -> (DescriptorHolderIndex, [Holder]) {
        var index = holderIndex(containing: link, witness: witness, own: own)
        var kept = live(index)
        let listed = index.holders(of: link).filter { $0 != witness }.count
        if kept.count < listed, !rescanned, index.scannedAt < passStarted {
            rescanned = true
            index = holderCache.index(notBefore: DescriptorHolderCache.monotonicNow())
            holderIndex = index
            kept = live(index)
        }
        return (index, kept)
    }

    /// This pass's index; one kept from an earlier pass is scanned again
    /// (once a pass) when it lacks `link` or does not know the asking
    /// descriptor holds `own`: both prove it older than what is asked about.
    private func holderIndex(containing link: DescriptorLink, witness: DescriptorHolder, own: DescriptorLink? = nil) -> DescriptorHolderIndex {
        var index = holderIndex ?? holderCache.index()
        let ownLink = own ?? link
        let stale = index.holders(of: link).isEmpty || !index.holders(of: ownLink).contains(witness)
        if stale, !rescanned, index.scannedAt < passStarted {
            rescanned = true
            index = holderCache.index(notBefore: DescriptorHolderCache.monotonicNow())
        }
        holderIndex = index
        return index
    }

    /// Whether the holder's fd still names `link` (and, for a path, the same inode).
    private func stillHolds(_ holder: DescriptorHolder, _ link: DescriptorLink, inode: UInt64?) -> Bool {
        let path = descriptorPath(pid: holder.pid, fd: holder.fd)
        guard case .success(let text) = ProcEntryIO.readLink(path), text == link.linkText else { return false }
        guard case .path = link, let inode else { return true }
        guard case .success(let status) = ProcEntryIO.status(path) else { return false }
        return UInt64(status.st_ino) == inode
    }

    /// Peers with their commands, in pid and fd order; a process gone meanwhile is left out.
    private func named(_ holders: [DescriptorHolder]) -> [WaitPeer] {
        Set(holders).sorted { ($0.pid, $0.fd) < ($1.pid, $1.fd) }.compactMap { holder in
            command(of: holder.pid).map { WaitPeer(pid: holder.pid, command: $0, fd: holder.fd) }
        }
    }

    /// The processes that may hold the other end but whose descriptors /proc
    /// refused: those of the socket's owner, or any for a pipe (`owner` nil).
    /// Nearest kin of the asking process first (its parent, siblings, children,
    /// then the rest): a pipe's ends are handed down across fork, so the
    /// holder is most often a relative, and the list is cut at a few.
    private func unreadablePeers(_ index: DescriptorHolderIndex, owner: UInt32?, near asker: Int32) -> [WaitPeer] {
        let candidates = index.unreadable.filter { owner == nil || $0.uid == owner }
        let parent = procfs.stat(asker)?.parentID
        func kinship(_ pid: Int32) -> Int {
            guard let theirParent = procfs.stat(pid)?.parentID else { return 4 }
            if pid == parent { return 0 }
            if theirParent == parent { return 1 }
            return theirParent == asker ? 2 : 3
        }
        let ranked = candidates.map { ($0, kinship($0.pid)) }.sorted { ($0.1, $0.0.pid) < ($1.1, $1.0.pid) }
        return ranked.lazy.map(\.0).prefix(Self.unreadableLimit).compactMap { process in
            self.command(of: process.pid).map { WaitPeer(pid: process.pid, command: $0, error: "no permission") }
        }
    }

    private func command(of pid: Int32) -> String? {
        if let known = commands[pid] { return known }
        let command = procfs.comm(pid, thread: pid)
        commands[pid] = command
        return command
    }
}
