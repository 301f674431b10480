import Foundation
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// `graph`'s heldBy names a hold point like a flag: the process is traced by
/// the `hold --at` session, so graph cannot stop it and finds the parked
/// threads from /proc (tracing stop under lwpscope, the pc on the trap).
@Suite(.serialized, .timeLimit(.minutes(4))) struct GraphPointHeldByTests {
    let lwpscope = BuiltProducts.path("lwpscope")

    func graphThreads(_ pid: Int32, _ extra: [String] = []) throws -> [[String: Any]] {
        let result = try run(lwpscope, ["graph", String(pid), "--json"] + extra)
        try #require(result.exitCode == 0, "exit \(String(describing: result.exitCode)): \(result.stderr)")
        let graph = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let processes = try #require(graph["processes"] as? [[String: Any]])
        let process = try #require(processes.first { $0["pid"] as? Int == Int(pid) }, "\(graph)")
        return try #require(process["threads"] as? [[String: Any]])
    }

    func heldBy(_ threads: [[String: Any]]) -> [Int32: String] {
        Dictionary(uniqueKeysWithValues: threads.compactMap { thread in
            guard let tid = thread["tid"] as? Int, let held = thread["heldBy"] as? String else { return nil }
            return (Int32(tid), held)
        })
    }

    @Test func threadsParkedAtAPointAreHeldByItAndTheOthersAreNot() throws {
        let fixture = try PointFixture()
        defer { fixture.stop() }
        #expect(waitUntil(timeout: 5) { fixture.callers().count == 5 })
        let callers = Set(fixture.callers().keys)
        // Before the point: nobody is held, so a check for heldBy can fail.
        #expect(heldBy(try graphThreads(fixture.pid, ["--no-stop"])).isEmpty)

        let hold = try HoldPointCommandTests.HoldAt(fixture.pid, ["--at", "point_target"])
        #expect(waitUntil(timeout: 10) { Set(hold.parkedTids()) == callers },
                "parked \(hold.parkedTids()): \(hold.process.standardError())")
        for extra in [[], ["--no-stop"]] {
            let threads = try graphThreads(fixture.pid, extra)
            let held = heldBy(threads)
            #expect(Set(held.keys) == callers, "graph \(extra): \(threads)")
            #expect(held.values.allSatisfy { $0.hasPrefix("point point_target (main.c:") }, "\(held)")
            for thread in threads where callers.contains(Int32(thread["tid"] as? Int ?? 0)) {
                #expect(thread["function"] as? String == "point_target", "\(thread)")
            }
        }
        let text = try run(lwpscope, ["graph", String(fixture.pid)])
        #expect(text.stdout.contains("(held by point point_target (main.c:"), "\(text.stdout)")

        #expect(hold.finish("quit") == 0)
        #expect(waitUntil(timeout: 5) { TaskStates.untraced(fixture.pid) })
        #expect(heldBy(try graphThreads(fixture.pid)).isEmpty, "released threads are held by nothing")
    }
}
