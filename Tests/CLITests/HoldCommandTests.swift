import Foundation
import ProcFS
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Issue 4's acceptance, driven through `lwpscope hold` on a program with a
/// file-scope `hold` spun on by two threads and a function-static `hold` by a third.
@Suite(.serialized, .timeLimit(.minutes(8))) struct HoldCommandTests {
    let lwpscope = BuiltProducts.path("lwpscope")

    struct Listing: Decodable {
        struct Flag: Decodable {
            var name: String
            var module: String
            var address: String
            var size: Int
            var value: UInt64?
            var heldThreads: [Int32]
        }
        var pid: Int32
        var flags: [Flag]
    }

    func list(_ pid: Int32, _ extra: [String] = []) throws -> Listing {
        let result = try run(lwpscope, ["hold", String(pid), "--json"] + extra)
        try #require(result.exitCode == 0, "\(result.stderr)")
        #expect(TaskStates.untraced(pid), "\(TaskStates.of(pid))")
        return try JSONDecoder().decode(Listing.self, from: Data(result.stdout.utf8))
    }

    func tid(_ pid: Int32, named name: String) throws -> Int32 {
        try #require(ProcFS().threads(pid)?.first { $0.name == name }?.id)
    }

    /// A thread out of its loop parks in sleep(): it stops burning CPU.
    func hasLeftTheLoop(_ pid: Int32, _ tid: Int32) -> Bool {
        waitUntil { ProcFS().thread(pid, tid)?.state == .sleeping }
    }

    func isSpinning(_ pid: Int32, _ tid: Int32) -> Bool {
        usesCPU(pid, thread: tid)
    }

    @Test func listReleaseOneSetAndTheStaticStaysHeld() throws {
        let child = try ChildProcess(path: BuiltProducts.path("fixture-threads-nofp"),
                                     arguments: ["--spinners", "2", "--static-spinners", "1"])
        try child.waitForLine(startingWith: "ready")
        let pid = child.pid
        let spinner1 = try tid(pid, named: "spinner-1")
        let spinner2 = try tid(pid, named: "spinner-2")
        let staticSpinner = try tid(pid, named: "static-spin-1")

        // The listing: both flags at 1, held exactly by their spinners, sorted by module then name.
        let listing = try list(pid)
        #expect(listing.flags.map(\.name) == ["hold", "spin_on_static_hold.hold"])
        let global = try #require(listing.flags.first { $0.name == "hold" })
        let functionStatic = try #require(listing.flags.first { $0.name == "spin_on_static_hold.hold" })
        #expect(global.value == 1 && functionStatic.value == 1)
        #expect(global.size == 4 && functionStatic.size == 4)
        #expect(global.heldThreads == [spinner1, spinner2].sorted())
        #expect(functionStatic.heldThreads == [staticSpinner])
        #expect(global.module.hasSuffix("/fixture-threads-nofp"))

        // Release one thread: it leaves, the flag is 1 again, the other spinner spins on.
        let release = try run(lwpscope, ["hold", String(pid), "--release-thread", String(spinner1)])
        #expect(release.exitCode == 0, "\(release.stderr)")
        #expect(release.stdout.contains("released thread \(spinner1) from hold"))
        #expect(TaskStates.untraced(pid))
        #expect(hasLeftTheLoop(pid, spinner1))
        #expect(isSpinning(pid, spinner2))
        let afterRelease = try list(pid)
        #expect(afterRelease.flags.first { $0.name == "hold" }?.value == 1)
        #expect(afterRelease.flags.first { $0.name == "hold" }?.heldThreads == [spinner2])

        // Set hold=0: the rest of the file-scope spinners go, the static one stays.
        let set = try run(lwpscope, ["hold", String(pid), "--set", "hold=0"])
        #expect(set.exitCode == 0, "\(set.stderr)")
        #expect(TaskStates.untraced(pid))
        #expect(hasLeftTheLoop(pid, spinner2))
        #expect(isSpinning(pid, staticSpinner))
        let afterSet = try list(pid)
        #expect(afterSet.flags.first { $0.name == "hold" }?.value == 0)
        #expect(afterSet.flags.first { $0.name == "spin_on_static_hold.hold" }?.heldThreads == [staticSpinner])
        #expect(afterSet.flags.first { $0.name == "spin_on_static_hold.hold" }?.value == 1)
    }

    @Test func refusalsAreOneLine() throws {
        let child = try ChildProcess(path: BuiltProducts.path("fixture-threads-nofp"))
        try child.waitForLine(startingWith: "ready")
        let notHeld = try run(lwpscope, ["hold", String(child.pid), "--release-thread", String(child.pid)])
        #expect(notHeld.exitCode == 1)
        #expect(notHeld.stderr.split(separator: "\n").count == 1)
        #expect(notHeld.stderr.contains("is not held"))
        let unknown = try run(lwpscope, ["hold", String(child.pid), "--set", "nosuchflag=1"])
        #expect(unknown.exitCode == 1)
        #expect(unknown.stderr.split(separator: "\n").count == 1)
        let badValue = try run(lwpscope, ["hold", String(child.pid), "--set", "hold"])
        #expect(badValue.exitCode != 0)
        #expect(TaskStates.untraced(child.pid))
    }

    @Test func userNamedFlag() throws {
        let child = try ChildProcess(path: BuiltProducts.path("fixture-threads-nofp"))
        try child.waitForLine(startingWith: "ready")
        let listing = try list(child.pid, ["--flag", "fixture-threads-nofp:parked_threads"])
        let parked = try #require(listing.flags.first { $0.name == "parked_threads" })
        #expect(parked.value == 11)
    }
}

