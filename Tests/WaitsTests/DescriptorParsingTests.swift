#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import Waits

/// The pure parsers under the reader, on text and bytes as the kernel writes them.
@Suite struct DescriptorParsingTests {
    @Test func linkTextsAreClassified() {
        #expect(DescriptorLink(linkText: "pipe:[4711]") == .pipe(inode: 4711))
        #expect(DescriptorLink(linkText: "socket:[12]") == .socket(inode: 12))
        #expect(DescriptorLink(linkText: "anon_inode:[eventpoll]") == .anonymous("eventpoll"))
        #expect(DescriptorLink(linkText: "anon_inode:inotify") == .anonymous("inotify"))
        #expect(DescriptorLink(linkText: "/tmp/a b (deleted)") == .path("/tmp/a b (deleted)"))
        #expect(DescriptorLink(linkText: "net:[4026531833]") == .other("net:[4026531833]"))
        #expect(DescriptorLink(linkText: "pipe:[x]") == .other("pipe:[x]"))
        #expect(DescriptorLink(linkText: "socket:[12]").linkText == "socket:[12]")
    }

    @Test func fdinfoFlagsGiveTheDirectionAndTfdLinesTheWatchedFds() {
        let reader = DescriptorFdInfo.parse("pos:\t0\nflags:\t02000000\nmnt_id:\t15\nino:\t1\n")
        #expect(reader.readable && !reader.writable)
        let writer = DescriptorFdInfo.parse("pos:\t0\nflags:\t02000001\n")
        #expect(!writer.readable && writer.writable)
        let both = DescriptorFdInfo.parse("flags:\t0104002\n")
        #expect(both.readable && both.writable)
        let epoll = DescriptorFdInfo.parse("""
            pos:\t0
            flags:\t02
            tfd:        9 events:       19 data:                9  pos:0 ino:401 sdev:f
            tfd:        5 events:       19 data:                5  pos:0 ino:401 sdev:f
            """)
        #expect(epoll.watched == [5, 9])
    }

    @Test func procNetTcpAddressesAreLittleEndianWords() throws {
        let v4 = try #require(InetEndpoint(procNetText: "0100007F:1388"))
        #expect(v4.address == [127, 0, 0, 1] && v4.port == 5000)
        #expect(v4.text == "127.0.0.1:5000")
        let v6 = try #require(InetEndpoint(procNetText: "00000000000000000000000001000000:9C46"))
        #expect(v6.text == "[::1]:40006")
        let global = try #require(InetEndpoint(procNetText: "B80D0120000000000000000001000000:0050"))
        #expect(global.text == "[2001:db8::1]:80")
        // v4-mapped (a v4 client of a dual-stack listener) is shown, and matched, as v4.
        let mapped = try #require(InetEndpoint(procNetText: "0000000000000000FFFF00000100007F:1388"))
        #expect(mapped == v4)
        #expect(InetEndpoint(procNetText: "0100007F") == nil)
        #expect(InetEndpoint(procNetText: "0100007:1388") == nil)
    }

    @Test func procNetTcpRowsGiveStateUidAndInode() throws {
        let text = """
              sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
               0: 0100007F:1388 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 31337 1 0000000000000000 100 0 0 10 0
               1: 0100007F:9C46 0100007F:1388 01 00000000:00000000 00:00000000 00000000     0        0 31338 1 0000000000000000 20 4 30 10 -1
               2: garbage
            """
        let rows = InetSocketTableParser.parse(text)
        #expect(rows.count == 2)
        let listener = try #require(rows.first)
        #expect(listener.listening && listener.uid == 1000 && listener.inode == 31337)
        #expect(rows[1].addressText == "127.0.0.1:40006 -> 127.0.0.1:5000")
        #expect(!rows[1].listening)
    }

    @Test func procNetUnixRowsGivePathAndListening() {
        let text = """
            Num       RefCount Protocol Flags    Type St Inode Path
            0000000000000000: 00000002 00000000 00010000 0001 01 25911 /run/a socket.sock
            0000000000000000: 00000003 00000000 00000000 0001 03  1671
            0000000000000000: 00000002 00000000 00010000 0001 01 25912 @abstract
            """
        let table = ProcNetUnixParser.parse(text)
        #expect(table[25911] == UnixSocket(inode: 25911, name: "/run/a socket.sock", peer: nil, listening: true, uid: nil))
        #expect(table[1671] == UnixSocket(inode: 1671, name: nil, peer: nil, listening: false, uid: nil))
        #expect(table[25912]?.name == "@abstract")
    }

    @Test func unixNamesDecodeAbstractAndPathForms() {
        #expect(UnixSocketName.decode([0] + Array("svc".utf8)) == "@svc")
        #expect(UnixSocketName.decode(Array("/run/x.sock".utf8) + [0, 0]) == "/run/x.sock")
        #expect(UnixSocketName.decode([UInt8]()) == nil)
    }

    /// A byte-exact answer: one unix_diag_msg with name, peer and uid, then NLMSG_DONE.
    @Test func sockDiagAnswerIsParsedAttributeByAttribute() {
        var bytes: [UInt8] = []
        func put<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value) { bytes.append(contentsOf: $0) } }
        let name = Array("/tmp/s".utf8)                    // 6 bytes: attribute of 10, padded to 12
        put(UInt32(16 + 16 + 12 + 8 + 8)); put(UInt16(20)); put(UInt16(2)); put(UInt32(1)); put(UInt32(0))
        put(UInt8(AF_UNIX)); put(UInt8(1)); put(UInt8(10)); put(UInt8(0)); put(UInt32(777)); put(UInt32(0)); put(UInt32(0))
        put(UInt16(4 + name.count)); put(UInt16(0)); bytes += name; bytes += [0, 0]
        put(UInt16(8)); put(UInt16(2)); put(UInt32(778))
        put(UInt16(8)); put(UInt16(7)); put(UInt32(1000))
        put(UInt32(20)); put(UInt16(3)); put(UInt16(2)); put(UInt32(1)); put(UInt32(0)); put(Int32(0))
        var table: [UInt64: UnixSocket] = [:]
        #expect(SockDiagUnixDump.parse(bytes[...], into: &table) == .done)
        #expect(table[777] == UnixSocket(inode: 777, name: "/tmp/s", peer: 778, listening: true, uid: 1000))
        // Cut short inside the message: nothing read past the end, and no entry made up.
        var truncated: [UInt64: UnixSocket] = [:]
        #expect(SockDiagUnixDump.parse(bytes[0..<40], into: &truncated) == .failed(errno: EPROTO))
        #expect(truncated.isEmpty)
    }

    @Test func theRequestIsAUnixDumpAskingForNamePeerAndUid() {
        let request = SockDiagUnixDump.request(sequence: 9)
        #expect(request.count == 40)
        #expect(request[0..<4] == [40, 0, 0, 0][...])
        #expect(request[4] == 20 && request[6] == 0x01 && request[7] == 0x03)
        #expect(request[16] == UInt8(AF_UNIX))
        #expect(request[28] == 0x45)  // UDIAG_SHOW_NAME | UDIAG_SHOW_PEER | UDIAG_SHOW_UID
    }

    @Test func errnosBecomeProblems() {
        #expect(FileDescriptorReader.problem(errno: ENOENT, pid: 5, fd: 3, processAlive: true) == .closed(fd: 3))
        #expect(FileDescriptorReader.problem(errno: ENOENT, pid: 5, fd: 3, processAlive: false) == .processGone(pid: 5))
        #expect(FileDescriptorReader.problem(errno: EACCES, pid: 5, fd: 3, processAlive: true) == .noPermission(pid: 5))
        #expect(FileDescriptorReader.problem(errno: EPERM, pid: 5, fd: 3, processAlive: true) == .noPermission(pid: 5))
    }
}
