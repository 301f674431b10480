import Foundation
import Synchronization
import Testing
import TestSupport

/// `dump` with the disk cache of inflated debug sections: the same output
/// cold, warm, from a corrupt cache and under concurrent runs; the cache
/// rewritten where it was bad.
@Suite(.serialized, .timeLimit(.minutes(4))) struct SectionCacheCommandTests {
    let lwpscope = BuiltProducts.path("lwpscope")

    /// `dump`'s frames without their pcs, with the cache at `directory`.
    func frames(_ pid: Int32, cache directory: String) throws -> String {
        let result = try run("/usr/bin/env", ["LWPSCOPE_CACHE_DIR=\(directory)", lwpscope, "dump", String(pid), "--no-arguments"])
        try #require(result.exitCode == 0, "\(result.stderr)")
        // Arguments hold addresses that differ between processes, and a spinner's top frame moves along its loop from run to run; pcs
        // differ between processes (ASLR): names, offsets and lines do not.
        return result.stdout.split(separator: "\n").filter { $0.hasPrefix("#") && !$0.contains("spin_on") }
            .map { $0.split(separator: " ", omittingEmptySubsequences: true).enumerated().filter { $0.offset != 1 }
                .map(\.element).joined(separator: " ") }
            .joined(separator: "\n")
    }

    func cacheFiles(_ directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
    }

    @Test func coldWarmCorruptAndConcurrentRunsPrintTheSame() throws {
        let child = try ChildProcess(path: BuiltProducts.path("fixture-threads-nofp"))
        try child.waitForLine(startingWith: "ready")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lwpscope-sections-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let uncached = try frames(child.pid, cache: "off")
        #expect(uncached.contains("__GI___clock_nanosleep") && uncached.contains("clock_nanosleep.c:"), "glibc's debug file read")
        #expect(cacheFiles(directory).isEmpty)

        #expect(try frames(child.pid, cache: directory) == uncached, "cold")
        // Sections only: notes of checks (NAME.checked) are written once a file has settled.
        let files = cacheFiles(directory).filter { !$0.hasSuffix(".checked") }
        #expect(files.contains { $0.contains("-debug_info-") } && files.contains { $0.contains("-debug_line-") }, "\(files)")
        #expect(try frames(child.pid, cache: directory) == uncached, "warm")

        // Every file damaged: flipped, cut short, emptied in turn.
        for (index, name) in files.enumerated() {
            let url = URL(fileURLWithPath: directory + "/" + name)
            var bytes = try Data(contentsOf: url)
            switch index % 3 {
            case 0: bytes[bytes.count / 2] ^= 0xff
            case 1: bytes = bytes.prefix(bytes.count - 100)
            default: bytes = Data()
            }
            try bytes.write(to: url)
        }
        let damaged = Dictionary(uniqueKeysWithValues: files.map { ($0, (try? Data(contentsOf: URL(fileURLWithPath: directory + "/" + $0))) ?? Data()) })
        #expect(try frames(child.pid, cache: directory) == uncached, "from a damaged cache")
        for name in files {
            let now = (try? Data(contentsOf: URL(fileURLWithPath: directory + "/" + name))) ?? Data()
            #expect(now != damaged[name], "\(name) was not written again")
        }

        // Concurrent runs on an empty cache, each on a process of its own (one tracer a process).
        try FileManager.default.removeItem(atPath: directory)
        let others = try (0..<3).map { _ in try ChildProcess(path: BuiltProducts.path("fixture-threads-nofp")) }
        for other in others { try other.waitForLine(startingWith: "ready") }
        let pids = [child.pid] + others.map(\.pid)
        let outputs = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: pids.count) { index in
            let output = (try? frames(pids[index], cache: directory)) ?? "failed"
            outputs.withLock { $0.append(output) }
        }
        for output in outputs.withLock({ $0 }) where output != uncached {
            let differing = zip(output.split(separator: "\n"), uncached.split(separator: "\n")).filter { $0.0 != $0.1 }.prefix(3)
            Issue.record("a concurrent run printed otherwise: \(differing.map { "\($0.0) | \($0.1)" })")
        }
        #expect(!cacheFiles(directory).contains { $0.hasPrefix(".tmp-") })
        #expect(try frames(child.pid, cache: directory) == uncached)
        #expect(pids.allSatisfy { TaskStates.untraced($0) })
    }
}
