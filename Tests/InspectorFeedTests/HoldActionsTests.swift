@testable import Engine
import Foundation
import Holds
import Inspector
import InspectorFeed
import ProcFS
import Testing
import TestSupport

@Suite struct HoldMessageTests {
    @Test func aFlagChangeSaysWhatItWasWhenKnown() {
        #expect(FlagChange(flag: Values.hold, before: 1, after: 0).description == "set hold (server) to 0, was 1")
        #expect(FlagChange(flag: Values.staticHold, before: nil, after: 1).description
            == "set hold (in spin_on_static_hold) (server) to 1")
    }

    @Test func releasesSayHowTheThreadWasHeld() {
        #expect(ThreadReleaseOutcome.heldAtBirth(tid: 4301).description == "released thread 4301, held at birth")
        let release = ThreadRelease(tid: 4243, steps: 3, pc: 0x55_0000_1250, flagValueAfter: 1)
        #expect(ThreadReleaseOutcome.fromFlag(Values.hold, release).description
            == "released thread 4243 from hold after 3 steps; hold is 1 again")
    }

    @Test func errorsAreTheUnderlyingOnesWords() {
        #expect(HoldActionError.notHeld(tid: 12, pid: 10).description
            == "thread 12 is not held on any hold flag of pid 10; `lwpscope hold 10` lists who is")
        #expect(HoldActionError.engine(.noSuchProcess(pid: 9)).description == "no process with pid 9")
        #expect(HoldActionError.hold(.badSize(3)).description == HoldError.badSize(3).description)
    }
}

/// The feed and the hold actions on a real process: two threads spin on
/// `hold`, one on a function-static `hold`.
@Suite(.serialized, .ownThreads, .timeLimit(.minutes(8))) struct FeedOnAFixtureTests {
    @Test func spinnersAreMarkedHeldAndOneIsReleasedWhileTheOtherSpinsOn() async throws {
        let child = try ChildProcess(path: BuiltProducts.path("fixture-threads-nofp"),
                                     arguments: ["--spinners", "2", "--static-spinners", "1"])
        try child.waitForLine(startingWith: "ready")
        let names = Dictionary((ProcFS().threads(child.pid) ?? []).map { ($0.name, $0.id) }, uniquingKeysWith: { a, _ in a })
        let spinner1 = try #require(names["spinner-1"]), spinner2 = try #require(names["spinner-2"])
        let staticSpinner = try #require(names["static-spin-1"]), sleeper = try #require(names["sleeper"])

        let engine = TraceEngine()
        let pid = try await engine.attach(child.pid)
        let holds = HoldActions(engine: engine)
        var feed = ThreadFeed()
        let snapshot = try await engine.snapshot(pid, stackBytes: 4096, details: .waitChannel)
        let update = feed.update(snapshot, heldAtBirth: [], grouping: false, now: 1, actions: holds)
        func row(_ tid: Int32) -> ThreadRow? { update.threads.first { $0.tid == tid } }

        #expect(row(spinner1)?.heldFlag == "hold" && row(spinner2)?.heldFlag == "hold")
        #expect(row(staticSpinner)?.heldFlag == "hold (in spin_on_static_hold)")
        #expect(row(sleeper)?.isHeld == false)
        #expect(row(spinner1)?.function == "spin_on_hold")
        let global = try #require(update.flags.first { $0.name == "hold" })
        #expect(global.value == 1 && global.heldThreadCount == 2 && global.size == 4)
        let full = feed.backtrace(of: spinner1)
        let backtrace = try #require(full)
        #expect(backtrace.frames.first?.function == "spin_on_hold")
        #expect(backtrace.frames.contains { $0.function == "start_thread" })

        let outcome = try await holds.release(spinner1, pid: pid, survey: feed.survey)
        guard case .fromFlag(let flag, let release) = outcome else {
            Issue.record("expected a release from a flag, got \(outcome)")
            return
        }
        #expect(flag.name == "hold" && release.tid == spinner1 && release.flagValueAfter == 1)
        await #expect(throws: HoldActionError.notHeld(tid: sleeper, pid: pid)) {
            try await holds.release(sleeper, pid: pid, survey: feed.survey)
        }
        // Stepped out of the loop but maybe not yet run on to sleep(): until
        // it leaves spin_on_hold, frame 0 is still in the flag's function.
        var after = try await holds.survey(pid)
        let deadline = Date().addingTimeInterval(20)
        while after.heldBy[spinner1] != nil, Date() < deadline {
            usleep(50_000)
            after = try await holds.survey(pid)
        }
        #expect(after.heldBy[spinner1] == nil)
        #expect(after.heldBy[spinner2]?.name == "hold")
        await engine.close()
        #expect(TaskStates.untraced(child.pid), "\(TaskStates.of(child.pid))")
        #expect(waitUntil { ProcFS().thread(child.pid, spinner1)?.state == .sleeping })
    }
}
