#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import TestSupport
@testable import Waits

/// `peers(of:pid:)`: who holds the other end, in this process and in a child.
@Suite struct DescriptorPeersTests {
    private func peers(_ fd: Int32, reader: FileDescriptorReader = FileDescriptorReader()) throws -> [WaitPeer] {
        reader.peers(of: try reader.describe(pid: testPid, fd: fd).get(), pid: testPid)
    }

    private func me(_ fd: Int32) -> WaitPeer { WaitPeer(pid: testPid, command: testCommand, fd: fd) }

    /// Hands `fd` to a child (as `theirs`) and closes ours: the child alone holds that end.
    private func moveToChild(_ fd: Int32, as theirs: Int32, from fds: DescriptorSet) throws -> DescriptorHoldingChild {
        let child = try DescriptorHoldingChild(holding: [(fd, theirs)])
        fds.closeNow(fd)
        return child
    }

    @Test func aPipeReadersPeersAreItsWritersAndBack() throws {
        let fds = DescriptorSet()
        let (r, w) = try fds.pipe()
        let second = try fds.keep(fcntl(w, F_DUPFD_CLOEXEC, 0))
        #expect(try peers(r) == [me(w), me(second)].sorted { $0.fd! < $1.fd! })
        // A writer's peers are the readers, never the other writer.
        #expect(try peers(w) == [me(r)])
    }

    @Test func aPipeEndInAChildIsItsPeer() throws {
        let fds = DescriptorSet()
        let (r, w) = try fds.pipe()
        let child = try moveToChild(w, as: 100, from: fds)
        #expect(try peers(r) == [WaitPeer(pid: child.pid, command: "sleep", fd: 100)])
    }

    @Test func socketPairEndsAreEachOthersPeers() throws {
        let fds = DescriptorSet()
        let (a, b) = try fds.socketPair()
        #expect(try peers(a) == [me(b)])
        #expect(try peers(b) == [me(a)])
    }

    @Test func unixClientAndAcceptedEndsMeetAndTheListenerHasNoPeer() throws {
        let directory = try makeTempDirectory("fds")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let fds = DescriptorSet()
        let (listener, client, accepted) = try fds.unixConnection(directory + "/p.sock")
        #expect(try peers(client) == [me(accepted)])
        #expect(try peers(accepted) == [me(client)])
        #expect(try peers(listener) == [])

        // ss -xp names the same holder for the client's peer inode.
        let clientRow = try #require(try ssRows(["-xapnH"], holder: testPid, fd: client).first)
        let peerRow = try #require(try ssRows(["-xapnH"], holder: testPid, fd: accepted).first)
        #expect(peerRow[5] == clientRow[7])
    }

    @Test func aUnixPeerInAChild() throws {
        let fds = DescriptorSet()
        let (a, b) = try fds.socketPair()
        let child = try moveToChild(b, as: 101, from: fds)
        #expect(try peers(a) == [WaitPeer(pid: child.pid, command: "sleep", fd: 101)])
    }

    @Test(arguments: [false, true]) func loopbackTcpPeersAreTheReversedPair(v6: Bool) throws {
        let fds = DescriptorSet()
        let (listener, client, accepted, _) = try fds.tcpConnection(v6: v6)
        #expect(try peers(accepted) == [me(client)])
        #expect(try peers(client) == [me(accepted)])
        #expect(try peers(listener) == [])
        // ss -tnp: the row of our accepted end has the client's address as its peer, and the row
        // with that address as local is the client's fd.
        let server = try #require(try ssRows(["-tnpH"], holder: testPid, fd: accepted).first)
        let other = try #require(try ssRows(["-tnpH"], holder: testPid, fd: client).first)
        #expect(server[4] == other[3] && server[3] == other[4])
    }

    /// A connected UDP client's peer is the unconnected server bound to its remote address.
    @Test(arguments: [false, true]) func udpClientFindsTheBoundServer(v6: Bool) throws {
        let fds = DescriptorSet()
        let (server, client, port) = try fds.udpExchange(v6: v6)
        let host = v6 ? "[::1]" : "127.0.0.1"
        let described = try FileDescriptorReader().describe(pid: testPid, fd: client).get()
        #expect(described.kind == (v6 ? .udp6 : .udp) && !described.listening)
        #expect(described.address?.hasSuffix(" -> \(host):\(port)") == true)
        #expect(try peers(client) == [me(server)])
        // The server talks to no one in particular.
        #expect(try peers(server) == [])
    }

    @Test func aDescriptorGoneBeforeTheQueryIsNoPeer() throws {
        let fds = DescriptorSet()
        let (r, w) = try fds.pipe()
        let reader = FileDescriptorReader()
        let info = try reader.describe(pid: testPid, fd: r).get()
        _ = reader.peers(of: info, pid: testPid)  // the index now lists w
        fds.closeNow(w)
        #expect(reader.peers(of: info, pid: testPid) == [])
    }

    @Test func theIndexIsKeptBetweenPassesAndRescannedWhenItLacksTheDescriptor() throws {
        let listing = CountingDescriptorListing()
        let cache = DescriptorHolderCache(listing: listing, maxAge: 60)
        let fds = DescriptorSet()
        let (r, w) = try fds.pipe()
        #expect(try peers(r, reader: FileDescriptorReader(holders: cache)) == [me(w)])
        #expect(try peers(w, reader: FileDescriptorReader(holders: cache)) == [me(r)])
        #expect(listing.scans == 1)
        // A pipe made after the scan is not in the kept index: one rescan finds it.
        let (r2, w2) = try fds.pipe()
        #expect(try peers(r2, reader: FileDescriptorReader(holders: cache)) == [me(w2)])
        #expect(listing.scans == 2)
    }

    /// Peers as another user sees them: /proc refuses `pid` (reported as owned by `owner`, else its real owner).
    private func peers(_ fd: Int32, refusing pid: pid_t, owner: UInt32? = nil) throws -> [WaitPeer] {
        let listing = RefusingDescriptorListing(refused: [pid], refusedOwner: owner)
        return try peers(fd, reader: FileDescriptorReader(holders: DescriptorHolderCache(listing: listing)))
    }

    @Test func anUnreadablePipeHolderIsNamedWithNoPermission() throws {
        let fds = DescriptorSet()
        let (r, w) = try fds.pipe()
        let child = try moveToChild(w, as: 100, from: fds)
        #expect(try peers(r, refusing: child.pid) == [WaitPeer(pid: child.pid, command: "sleep", error: "no permission")])
    }

    @Test func anUnreadableUnixHolderIsNamedOnlyWhenItsUserOwnsThePeerSocket() throws {
        let fds = DescriptorSet()
        let (a, b) = try fds.socketPair()
        let child = try moveToChild(b, as: 101, from: fds)
        #expect(try peers(a, refusing: child.pid) == [WaitPeer(pid: child.pid, command: "sleep", error: "no permission")])
        #expect(try peers(a, refusing: child.pid, owner: getuid() &+ 4242) == [])
    }

    @Test func aReadablePeerIsNamedEvenWhenOthersAreUnreadable() throws {
        let fds = DescriptorSet()
        let (a, b) = try fds.socketPair()
        let bystander = try DescriptorHoldingChild(holding: [])
        #expect(try peers(a, refusing: bystander.pid) == [me(b)])
    }
}
