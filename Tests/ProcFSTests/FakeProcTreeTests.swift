import Foundation
import Testing
@testable import ProcFS

/// A hand-made /proc: a kernel thread, a process with a child, and a process
/// whose files vanish half-way (only its directory is left).
@Suite struct FakeProcTreeTests {
    let root: String

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("fakeproc-\(UUID().uuidString)").path
        try write("uptime", "1000.00 1900.00\n")
        try write("stat", "cpu  1 2 3\nbtime 1700000000\n")
        try process(2, ppid: 0, comm: "kthreadd", flags: 0x0020_0040, cmdline: [])
        try process(100, ppid: 1, comm: "server (main)", flags: 0x0040_0000, cmdline: ["/usr/sbin/server", "-t", "6"], threads: [100, 101])
        try process(200, ppid: 100, comm: "child", flags: 0x0040_0000, cmdline: ["child"])
        try FileManager.default.createDirectory(atPath: root + "/300", withIntermediateDirectories: true)
    }

    func write(_ path: String, _ text: String) throws {
        let url = URL(fileURLWithPath: root + "/" + path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    func process(_ pid: Int32, ppid: Int32, comm: String, flags: UInt32, cmdline: [String], threads: [Int32]? = nil) throws {
        let tids = threads ?? [pid]
        func stat(_ id: Int32, _ name: String) -> String {
            "\(id) (\(name)) S \(ppid) \(pid) \(pid) 0 -1 \(flags) 0 0 0 0 100 50 0 0 20 0 \(tids.count) 0 50000 0 256 0 0 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0"
        }
        try write("\(pid)/stat", stat(pid, comm))
        try write("\(pid)/status", "Name:\t\(comm)\nState:\tS (sleeping)\nTgid:\t\(pid)\nPPid:\t\(ppid)\nTracerPid:\t0\nUid:\t0\t0\t0\t0\nThreads:\t\(tids.count)\n")
        try write("\(pid)/cmdline", cmdline.map { $0 + "\0" }.joined())
        for tid in tids {
            try write("\(pid)/task/\(tid)/stat", stat(tid, tid == pid ? comm : "worker \(tid)"))
            try write("\(pid)/task/\(tid)/wchan", tid == pid ? "do_epoll_wait" : "0")
            try write("\(pid)/task/\(tid)/syscall", "running\n")
        }
    }

    @Test func listingSkipsVanishedProcessesAndNamesKernelThreads() {
        let listing = ProcFS(root: root).processListing()
        #expect(listing.map(\.pid) == [2, 100, 200])
        let kthread = listing[0]
        #expect(kthread.isKernelThread)
        #expect(kthread.command == "[kthreadd]")
        let server = listing[1]
        #expect(server.command == "/usr/sbin/server -t 6")
        #expect(server.name == "server (main)")
        #expect(server.threadCount == 2)
        #expect(server.user == "root")
        #expect(server.residentKiB == 256 * ProcFS.pageSize / 1024)
        // 150 ticks of CPU over (1000 s - 500 s) of life.
        #expect(server.cpuPercent == 0.3)
        #expect(server.startTime == 1_700_000_000 + 500)
    }

    @Test func threadsWithWaitChannels() throws {
        let threads = try #require(ProcFS(root: root).threads(100))
        #expect(threads.map(\.id) == [100, 101])
        #expect(threads[0].waitChannel == "do_epoll_wait")
        #expect(threads[1].waitChannel == nil)
        #expect(threads[1].name == "worker 101")
        #expect(threads[0].syscall == .running)
    }

    @Test func vanishedProcessReadsAsNil() {
        let procfs = ProcFS(root: root)
        #expect(procfs.stat(300) == nil)
        #expect(procfs.threads(300) == nil)
        #expect(procfs.threads(999) == nil)
        #expect(procfs.memoryMap(300) == nil)
    }

    @Test func treeLinksParentsAndChildren() {
        let tree = ProcessTree(ProcFS(root: root).processListing())
        #expect(tree.ancestors(of: 200) == [100, 1])
        #expect(tree.descendants(of: 100).map(\.pid) == [200])
        #expect(tree.descendants(of: 0).map(\.pid) == [2])
    }
}

@Suite struct LiveProcTests {
    @Test func ourOwnThreadsAndMaps() throws {
        let procfs = ProcFS()
        let pid = getpid()
        let threads = try #require(procfs.threads(pid))
        #expect(threads.contains { $0.id == pid })
        let maps = try #require(procfs.memoryMap(pid))
        let exe = try #require(procfs.executablePath(pid))
        #expect(maps.contains { $0.isExecutable && $0.path == exe })
        let me = try #require(procfs.processListing().first { $0.pid == pid })
        #expect(me.command == CommandLine.arguments.joined(separator: " "))
        #expect(!me.isKernelThread)
    }
}
