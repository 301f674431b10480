import Foundation
@testable import Guardian
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// fixture-points running, with ranges of its `never_called` (code no thread
/// runs) patched from the test through /proc/PID/mem, as lwpscope would
/// patch a point: the guardian tests check what the guardian writes back.
final class PatchedFixture {
    let child: ChildProcess
    let startTime: UInt64
    /// never_called's runtime address.
    let function: UInt64
    let functionSize: Int

    /// One range of never_called: what was there, and what the test wrote.
    struct Range {
        var address: UInt64
        var original: [UInt8]
        var patched: [UInt8]
    }

    init() throws {
        child = try ChildProcess(path: BuiltProducts.path("fixture-points"), arguments: ["--callers", "1", "--others", "0"])
        try child.waitForLine(startingWith: "ready")
        startTime = try #require(Self.independentStartTime(child.pid))
        (function, functionSize) = try Self.runtimeAddress(of: "never_called", pid: child.pid)
    }

    deinit { child.terminate() }

    /// Overwrites `count` bytes at `offset` into never_called with `fill`.
    func patch(offset: Int, count: Int, fill: UInt8) throws -> Range {
        try #require(offset + count <= functionSize, "never_called has \(functionSize) bytes")
        let address = function + UInt64(offset)
        let original = try #require(read(address, count: count))
        let patched = [UInt8](repeating: fill, count: count)
        try #require(original != patched, "never_called already holds \(fill) there: pick another fill")
        try write(address, patched)
        #expect(read(address, count: count) == patched)
        return Range(address: address, original: original, patched: patched)
    }

    func bytes(_ range: Range) -> [UInt8]? { read(range.address, count: range.original.count) }

    func patchRecord(_ range: Range, startTime: UInt64? = nil, claimedPatched: [UInt8]? = nil) -> GuardianRecord {
        .patch(pid: child.pid, startTime: startTime ?? self.startTime, address: range.address,
               original: range.original, patched: claimedPatched ?? range.patched)
    }

    func scratchRecord(_ range: Range) -> GuardianRecord {
        .scratch(pid: child.pid, startTime: startTime, address: range.address, original: range.original, patched: range.patched)
    }

    /// Polls until `range` holds `expected`; the seconds it took, or nil after `timeout`.
    func secondsUntil(_ range: Range, holds expected: [UInt8], timeout: Double, from start: Double = monotonicSeconds()) -> Double? {
        while true {
            let now = monotonicSeconds()
            if bytes(range) == expected { return now - start }
            if now - start > timeout { return nil }
            usleep(2000)
        }
    }

    private func read(_ address: UInt64, count: Int) -> [UInt8]? {
        let fd = open("/proc/\(child.pid)/mem", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: count)
        let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, count, off_t(address)) }
        return n == count ? buffer : nil
    }

    private func write(_ address: UInt64, _ bytes: [UInt8]) throws {
        let fd = open("/proc/\(child.pid)/mem", O_RDWR | O_CLOEXEC)
        try #require(fd >= 0, "open /proc/\(child.pid)/mem: \(errno)")
        defer { close(fd) }
        let n = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress, bytes.count, off_t(address)) }
        try #require(n == bytes.count, "pwrite /proc/\(child.pid)/mem: \(errno)")
    }

    /// Field 22 of /proc/PID/stat, read here with Foundation rather than
    /// through the guardian's own parser, which is under test.
    static func independentStartTime(_ pid: Int32) -> UInt64? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.range(of: ")", options: .backwards) else { return nil }
        let fields = text[close.upperBound...].split(separator: " ")
        return fields.count > 19 ? UInt64(fields[19]) : nil
    }

    /// A symbol's runtime address and size: nm's file address, turned into
    /// a file offset by the LOAD headers and into memory by /proc/PID/maps.
    static func runtimeAddress(of symbol: String, pid: Int32) throws -> (UInt64, Int) {
        let executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/exe")
        let nmLine = try #require(
            try runTool("nm", ["-S", "--defined-only", executable]).split(separator: "\n").first { $0.hasSuffix(" T \(symbol)") })
        let fields = nmLine.split(separator: " ")
        let fileAddress = try #require(UInt64(fields[0], radix: 16))
        let size = try #require(Int(fields[1], radix: 16))
        let segments = ProcessFileAddresses.parse(programHeaders: try runTool("readelf", ["-lW", executable]))
        let segment = try #require(segments.first { fileAddress >= $0.address && fileAddress < $0.address + $0.fileSize })
        let fileOffset = segment.offset + (fileAddress - segment.address)
        let maps = try String(contentsOfFile: "/proc/\(pid)/maps", encoding: .utf8)
        for line in maps.split(separator: "\n") {
            let columns = line.split(separator: " ", omittingEmptySubsequences: true)
            guard columns.count >= 6, columns[5...].joined(separator: " ") == executable else { continue }
            let bounds = columns[0].split(separator: "-")
            guard let start = UInt64(bounds[0], radix: 16), let end = UInt64(bounds[1], radix: 16),
                  let offset = UInt64(columns[2], radix: 16),
                  fileOffset >= offset, fileOffset < offset + (end - start) else { continue }
            #expect(columns[1].hasPrefix("r-x"), "never_called's mapping is code: \(line)")
            return (start + (fileOffset - offset), size)
        }
        throw TestFailure("no mapping of \(executable) holds file offset 0x\(String(fileOffset, radix: 16)) in process \(pid)")
    }
}

/// A guardian started the way lwpscope starts it.
func startGuardian(standardError: String = "/dev/null") throws -> GuardianLink {
    let link = try GuardianLink.start(executable: BuiltProducts.path("lwpscope"), arguments: ["_guardian"], standardError: standardError)
    try waitUntilReading(link.pid)
    return link
}

/// Waits until the guardian sits in read(0, ...): started, set up, and
/// waiting for records, so that timings measure its reaction alone and not
/// how long a loaded machine takes to start a Swift program.
func waitUntilReading(_ pid: Int32, timeout: Double = 30) throws {
    let start = monotonicSeconds()
    while monotonicSeconds() - start < timeout {
        // /proc/PID/task/TID/syscall: "0 0x0 ..." is read(2) on descriptor 0
        // (in whichever thread the command runs: Swift's async main hands
        // it to a worker).
        let threads = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        for tid in threads {
            if let text = try? String(contentsOfFile: "/proc/\(pid)/task/\(tid)/syscall", encoding: .utf8), text.hasPrefix("0 0x0 ") {
                return
            }
        }
        usleep(5000)
    }
    throw TestFailure("guardian \(pid) did not start reading its records in \(timeout) s")
}

/// Reaps the guardian, killing it first if it is still running after
/// `timeout` (a test that fails must not leave it behind).
@discardableResult
func finish(_ link: GuardianLink, timeout: Double = 10) -> Int32? {
    link.close(clean: false)
    if let status = link.waitForExit(timeout: timeout) { return status }
    kill(link.pid, SIGKILL)
    link.waitForExit(timeout: 10)
    return nil
}

func getpidForTest() -> Int32 { getpid() }
