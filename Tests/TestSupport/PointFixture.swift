import Foundation
import ProcFS
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// `fixture-points` running, its call lines read as they come (so its pipe
/// never fills): how many times each thread has called point_target, and
/// the children it forked. See Tests/Fixtures/fixture-points/main.c.
public final class PointFixture: @unchecked Sendable {
    public let process: ChildProcess
    public var pid: Int32 { process.pid }
    public static let binary = BuiltProducts.path("fixture-points")
    public static let source = BuiltProducts.packageRoot + "/Tests/Fixtures/fixture-points/main.c"

    private struct Seen {
        var calls: [Int32: Int] = [:]
        var names: [Int32: String] = [:]
        var forked: [Int32] = []
        var ended = false
    }
    private final class Shared: Sendable {
        let seen = Mutex(Seen())
    }
    private let shared = Shared()
    private var reader: Thread?

    public init(arguments: [String] = []) throws {
        process = try ChildProcess(path: Self.binary, arguments: arguments)
        do { try process.waitForLine(startingWith: "ready", timeout: 30) } catch {
            process.terminate()
            throw error
        }
        let reader = Thread { [process, shared] in
            while true {
                guard let line = process.readLine(timeout: 3600) else { break }
                let words = line.split(separator: " ")
                if words.count >= 4, words[0] == "call", let tid = Int32(words[1]), let count = Int(words[2]) {
                    shared.seen.withLock {
                        $0.calls[tid] = count
                        $0.names[tid] = String(words[3])
                    }
                } else if words.count == 2, words[0] == "forked", let child = Int32(words[1]) {
                    shared.seen.withLock { $0.forked.append(child) }
                }
            }
            shared.seen.withLock { $0.ended = true }
        }
        self.reader = reader
        reader.start()
    }

    /// How many times `tid` has called point_target (0: not yet seen).
    public func calls(_ tid: Int32) -> Int { shared.seen.withLock { $0.calls[tid] ?? 0 } }

    /// Every thread seen calling, by name (caller-1, other-1, child-caller).
    public func callers() -> [Int32: String] { shared.seen.withLock { $0.names } }

    public func forkedChildren() -> [Int32] { shared.seen.withLock { $0.forked } }

    /// Asks the fixture to fork a caller child; returns its pid.
    public func forkChild(timeout: Double = 10) throws -> Int32 {
        let before = forkedChildren().count
        kill(pid, SIGUSR1)
        guard waitUntil(timeout: timeout, { self.forkedChildren().count > before }) else {
            throw TestFailure("fixture-points \(pid) did not fork within \(timeout) s")
        }
        return forkedChildren()[before]
    }

    /// The runtime address of a function of the fixture (nm's value plus the
    /// load bias from /proc/PID/maps).
    public func runtimeAddress(of function: String) throws -> UInt64 {
        let symbols = try runTool("nm", [Self.binary])
        guard let line = symbols.split(separator: "\n").first(where: { $0.hasSuffix(" \(function)") }),
              let value = UInt64(line.split(separator: " ")[0], radix: 16) else {
            throw TestFailure("nm has no \(function) in \(Self.binary)")
        }
        return try loadBias() + value
    }

    /// Runtime minus link-time addresses of the fixture's binary.
    public func loadBias() throws -> UInt64 {
        var maps = ProcFS().memoryMap(pid)
        var first = maps?.first(where: { $0.path.hasSuffix("/fixture-points") && $0.fileOffset == 0 })
        // Seen once in a full run; read again, and say what was there.
        for _ in 0..<20 where first == nil {
            usleepMillis(100)
            maps = ProcFS().memoryMap(pid)
            first = maps?.first(where: { $0.path.hasSuffix("/fixture-points") && $0.fileOffset == 0 })
        }
        guard let first else {
            let paths = Set((maps ?? []).map(\.path)).sorted().joined(separator: ", ")
            throw TestFailure("fixture-points \(pid) maps no offset-0 segment (maps \(maps == nil ? "unreadable" : paths), "
                              + "state \(TaskStates.of(pid)), errno \(errno))")
        }
        let lowest = ProcessFileAddresses.loadSegments(of: Self.binary).map(\.address).min() ?? 0
        return first.start - lowest
    }

    /// The first 16-byte boundary after the end of the binary's executable
    /// segment: unused room in its last page (tests put displaced copies there).
    public func paddingAfterCode() throws -> UInt64 {
        guard let text = ProcessFileAddresses.loadSegments(of: Self.binary).first else {
            throw TestFailure("readelf shows no LOAD segment in \(Self.binary)")
        }
        return (try loadBias() + text.address + text.fileSize + 15) & ~15
    }

    /// The bytes the binary file holds where `pid` maps `count` bytes at
    /// `runtimeAddress` (its code, or the unused tail of its last code page).
    public static func fileBytes(of pid: Int32, at runtimeAddress: UInt64, count: Int) throws -> [UInt8] {
        guard let mapping = (ProcFS().memoryMap(pid) ?? []).first(where: { $0.contains(runtimeAddress) && $0.isFileBacked }) else {
            throw TestFailure("pid \(pid) maps no file at 0x\(String(runtimeAddress, radix: 16))")
        }
        let data = try Data(contentsOf: URL(fileURLWithPath: mapping.path))
        let offset = Int(mapping.fileOffset + (runtimeAddress - mapping.start))
        return Array(data[offset..<(offset + count)])
    }

    /// The line of main.c marked POINT-LINE.
    public static func pointLine() throws -> Int {
        let text = try String(contentsOfFile: source, encoding: .utf8)
        guard let index = text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex(where: { $0.contains("// POINT-LINE") })
        else { throw TestFailure("no POINT-LINE in \(source)") }
        return index + 1
    }

    /// Kills it (and its children, which die with it) and stops reading.
    public func stop() {
        for child in forkedChildren() { kill(child, SIGKILL) }
        process.terminate()
    }

    deinit { stop() }
}
