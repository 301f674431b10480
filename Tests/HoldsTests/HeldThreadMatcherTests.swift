import ELF
import Backtraces
import Engine
import Foundation
import Holds
import Testing
import TestSupport

@Suite(.ownThreads, .timeLimit(.minutes(8))) struct HeldThreadMatcherTests {
    @Test(arguments: ["fixture-threads-fp", "fixture-threads-nofp"])
    func spinnersAreHeldOnTheirFlags(fixture: String) async throws {
        let child = try ChildProcess(path: BuiltProducts.path(fixture), arguments: FlagFinderTests.arguments)
        try child.waitForLine(startingWith: "ready")
        let engine = TraceEngine()
        try await engine.attach(child.pid)
        let snapshot: ProcessSnapshot
        do {
            snapshot = try await engine.snapshot(child.pid, stackBytes: Backtracer.defaultStackBytes)
        } catch {
            await engine.close()
            throw error
        }
        await engine.close()
        #expect(TaskStates.untraced(child.pid))

        let backtraces = Backtracer().backtraces(of: snapshot)
        let space = try addressSpace(child.pid)
        let flags = try HoldFlagFinder().find(in: space)
        let matcher = HeldThreadMatcher(flags: FlagReferenceScanner.shared.references(to: flags, in: space))
        let frames = Dictionary(uniqueKeysWithValues: backtraces.threads.map { ($0.tid, $0.frames.map { RuntimeAddress($0.pc) }) })
        let held = matcher.heldThreads(frames)

        let names = Dictionary(uniqueKeysWithValues: backtraces.threads.map { ($0.tid, $0.name) })
        let heldNames = Dictionary(uniqueKeysWithValues: held.map { (names[$0.key] ?? "?", $0.value.name) })
        #expect(heldNames == [
            "spinner-1": "hold", "spinner-2": "hold", "static-spin-1": "spin_on_static_hold.hold",
        ], "\(backtraces.threads.map { "\($0.name): \($0.frames.prefix(2).map { $0.function ?? "?" })" })")
    }

    // MARK: The rule, on made-up addresses

    let flag = HoldFlag(name: "hold", variableName: "hold", owners: [], scope: .global,
                        modulePath: "/bin/app", address: 0x9000, linkAddress: 0x5000, size: 4)
    let other = HoldFlag(name: "ready", variableName: "ready", owners: [], scope: .global,
                         modulePath: "/bin/app", address: 0x9010, linkAddress: 0x5010, size: 1)
    /// app's code is 0x1000..<0x3000; spin() is 0x1100..<0x1140 and uses both flags.
    var matcher: HeldThreadMatcher {
        let spin = ReferencingFunction(name: "spin", range: 0x1100 ..< 0x1140, linkRange: 0x100 ..< 0x140)
        let release = ReferencingFunction(name: "release", range: 0x1200 ..< 0x1210, linkRange: 0x200 ..< 0x210)
        return HeldThreadMatcher(flags: [
            HoldFlagReferences(flag: flag, functions: [spin, release], moduleCode: [0x1000 ..< 0x3000]),
            HoldFlagReferences(flag: other, functions: [spin], moduleCode: [0x1000 ..< 0x3000]),
        ])
    }
    let libc: RuntimeAddress = 0x7000_0000

    @Test func frameZeroInAReferencingFunctionIsHeld() {
        #expect(matcher.flag(holding: [0x1120, 0x2000]) == flag, "first flag wins when a function uses two")
        #expect(matcher.flag(holding: [0x1200]) == flag)
    }

    @Test func frameZeroElsewhereInTheModuleIsNotHeld() {
        // Even when a caller references the flag: the thread runs other code.
        #expect(matcher.flag(holding: [0x2000, 0x1120]) == nil)
        #expect(matcher.flag(holding: [0x1140, 0x1120]) == nil, "a function's end is outside it")
        #expect(matcher.flag(holding: []) == nil)
    }

    @Test func oneHelperFrameOutsideTheModuleIsLookedPast() {
        // while (hold) sched_yield(); stopped inside sched_yield.
        #expect(matcher.flag(holding: [libc, 0x1130]) == flag)
        // The return address right after a call at the function's end still counts (pc - 1).
        #expect(matcher.flag(holding: [libc, 0x1140]) == flag)
        // Two libc frames (sleep -> clock_nanosleep): past the default budget.
        #expect(matcher.flag(holding: [libc, libc + 0x100, 0x1130]) == nil)
        var deeper = matcher
        deeper.helperFrames = 2
        #expect(deeper.flag(holding: [libc, libc + 0x100, 0x1130]) == flag)
        deeper.helperFrames = 0
        #expect(deeper.flag(holding: [libc, 0x1130]) == nil)
    }

    @Test func threadsAreMappedByTid() {
        let held = matcher.heldThreads([10: [0x1120], 11: [0x2000], 12: [libc, 0x1201], 13: [libc]])
        #expect(held == [10: flag, 12: flag])
    }
}
