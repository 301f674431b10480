import Foundation
import ProcFS
@testable import Waits

/// A hand-made /proc for the analyzer: processes, their threads' comm,
/// stat and syscall lines. Removed when the test's value goes away.
final class FakeProc {
    let root: String

    init() {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("fakewaits-\(UUID().uuidString)").path
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    var procfs: ProcFS { ProcFS(root: root) }

    private func write(_ path: String, _ text: String) {
        let url = URL(fileURLWithPath: root + "/" + path)
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? text.write(to: url, atomically: true, encoding: .utf8)
    }

    private func stat(_ id: Int32, _ name: String, state: Character, ppid: Int32) -> String {
        "\(id) (\(name)) \(state) \(ppid) \(id) \(id) 0 -1 4194560 0 0 0 0 10 5 0 0 20 0 1 0 5000 0 100 0 0 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n"
    }

    /// A process whose main thread is `pid`; more threads with `thread`.
    func process(_ pid: Int32, _ comm: String, ppid: Int32 = 1) {
        write("\(pid)/stat", stat(pid, comm, state: "S", ppid: ppid))
        thread(pid, pid, comm, syscall: "running")
    }

    func thread(_ pid: Int32, _ tid: Int32, _ comm: String, syscall: String, state: Character = "S") {
        write("\(pid)/task/\(tid)/stat", stat(tid, comm, state: state, ppid: 1))
        write("\(pid)/task/\(tid)/comm", comm + "\n")
        write("\(pid)/task/\(tid)/syscall", syscall + "\n")
    }

    /// A thread blocked in system call `number` with these arguments.
    func blocked(_ pid: Int32, _ tid: Int32, _ comm: String, _ number: Int, _ arguments: [UInt64]) {
        let words = (arguments + Array(repeating: 0, count: 6)).prefix(6).map { "0x" + String($0, radix: 16) }
        thread(pid, tid, comm, syscall: "\(number) " + words.joined(separator: " ") + " 0x7ffd0000 0x7f0000001234")
    }

    func remove(_ pid: Int32, _ tid: Int32) {
        try? FileManager.default.removeItem(atPath: "\(root)/\(pid)/task/\(tid)")
    }
}

/// x86_64 numbers of the calls the tests block in.
enum Call {
    static let read = 0, poll = 7, select = 23, pause = 34, accept4 = 288, futex = 202
    static let wait4 = 61, epollWait = 232, clockNanosleep = 230
}

/// Descriptors as the tests declare them: per (pid, fd) a description or a
/// problem, and per (pid, fd) the peers of the other end.
final class FakeDescriptors: FileDescriptorReading {
    var infos: [Int32: [Int32: Result<FileDescriptorInfo, FileDescriptorProblem>]] = [:]
    var peerLists: [Int32: [Int32: [WaitPeer]]] = [:]
    private(set) var describeCalls = 0

    func add(pid: Int32, _ info: FileDescriptorInfo, peers: [WaitPeer] = []) {
        infos[pid, default: [:]][info.fd] = .success(info)
        peerLists[pid, default: [:]][info.fd] = peers
    }

    func fail(pid: Int32, fd: Int32, _ problem: FileDescriptorProblem) {
        infos[pid, default: [:]][fd] = .failure(problem)
    }

    func describe(pid: Int32, fd: Int32) -> Result<FileDescriptorInfo, FileDescriptorProblem> {
        describeCalls += 1
        return infos[pid]?[fd] ?? .failure(.closed(fd: fd))
    }

    func peers(of info: FileDescriptorInfo, pid: Int32) -> [WaitPeer] {
        peerLists[pid]?[info.fd] ?? []
    }
}

/// Memory as the tests lay it out: 32-bit words at addresses of a process.
final class FakeMemory: WaitMemoryReading {
    var bytesAt: [Int32: [UInt64: [UInt8]]] = [:]

    func words(pid: Int32, at address: UInt64, _ words: [UInt32]) {
        bytesAt[pid, default: [:]][address] = words.flatMap { w in (0..<4).map { UInt8(truncatingIfNeeded: w >> (8 * $0)) } }
    }

    /// glibc's pthread_mutex_t: __lock, __count, __owner, __nusers, __kind.
    func mutex(pid: Int32, at address: UInt64, lock: UInt32, owner: Int32) {
        words(pid: pid, at: address, [lock, 0, UInt32(bitPattern: owner), 1, 0])
    }

    func bytes(pid: Int32, address: UInt64, count: Int) -> [UInt8]? {
        guard let bytes = bytesAt[pid]?[address], bytes.count >= count else { return nil }
        return Array(bytes.prefix(count))
    }
}

extension FakeProc {
    func analyzer(_ descriptors: FakeDescriptors = FakeDescriptors(), _ memory: FakeMemory = FakeMemory()) -> WaitAnalyzer {
        WaitAnalyzer(procfs: procfs, makeReader: { descriptors }, memory: memory)
    }
}
