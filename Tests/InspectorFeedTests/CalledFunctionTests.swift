@testable import Backtraces
import Engine
import Holds
import Inspector
import InspectorFeed
import ProcFS
import Testing
import TestSupport

/// FUNCTION, WCHAN and the stack's labels on a real process: threads parked
/// in nanosleep, pthread_cond_wait and read, unwound as a refresh does.
@Suite(.serialized, .ownThreads, .timeLimit(.minutes(8))) struct CalledFunctionOnAFixtureTests {
    @Test func threadsShowThePublicFunctionTheProgramCalled() async throws {
        let child = try ChildProcess(path: BuiltProducts.path("fixture-threads-fp"))
        try child.waitForLine(startingWith: "ready")
        let names = Dictionary((ProcFS().threads(child.pid) ?? []).map { ($0.name, $0.id) }, uniquingKeysWith: { a, _ in a })
        let engine = TraceEngine()
        let pid = try await engine.attach(child.pid)
        var feed = ThreadFeed()
        let snapshot = try await engine.snapshot(pid, stackBytes: 4096, details: .waitChannel)
        let update = feed.update(snapshot, heldAtBirth: [], grouping: false, now: 1, actions: HoldActions(engine: engine))
        func row(_ name: String) throws -> ThreadRow {
            let tid = try #require(names[name], "\(name) in the fixture")
            return try #require(update.threads.first { $0.tid == tid })
        }
        // Innermost frames: clock_nanosleep, __futex_abstimed_wait_common64, __GI___libc_read.
        #expect(try row("sleeper").function == "nanosleep")
        #expect(try row("condwait").function == "pthread_cond_wait")
        #expect(try row("reader").function == "read")
        #expect(try row("worker-1").function == "nanosleep")
        // A frame of the program itself is its own name.
        #expect(try row("spinner-1").function == "spin_on_hold")
        // Every frame's label, innermost first, as the backtrace has them.
        let condwait = try row("condwait")
        #expect(condwait.stackFunctions.first == "__futex_abstimed_wait_common64")
        // Named as gdb names them (glibc's DWARF says `___pthread_cond_wait`): `/`, a substring match, still finds it.
        #expect(condwait.stackFunctions.contains { $0.hasSuffix("pthread_cond_wait") } && condwait.stackFunctions.contains("wait_on_condvar"))
        let fullBacktrace = feed.backtrace(of: condwait.tid)
        let full = try #require(fullBacktrace)
        #expect(Array(full.frames.map { $0.function ?? "" }.prefix(condwait.stackFunctions.count)) == condwait.stackFunctions)
        #expect(try row("worker-1").stackFunctions.contains("worker_outer"), "deep enough for / to find the caller")
        // Real wait channels stay (under trace this kernel names hrtimer_nanosleep, not do_syscall_64).
        #expect(try row("reader").wchan != nil)
        await engine.close()
    }
}

@Suite struct CalledFunctionRuleTests {
    static let exe = Values.server
    func libc(_ index: Int, _ name: String, exported: String? = nil, inline: Bool = false) -> SymbolizedFrame {
        var frame = Values.frame(index, pc: 0x7f_0000_1000 + UInt64(index), name, module: Values.libc, inline: inline)
        frame.exportedName = exported
        return frame
    }

    @Test func localLibraryFramesGiveWayToTheExportedRunTheProgramCalled() {
        let frames = [libc(0, "clock_nanosleep", exported: "clock_nanosleep"), libc(1, "__nanosleep", exported: "nanosleep"),
                      Values.frame(2, pc: 0x55_0000_3000, "sleep_loop")]
        #expect(CalledFunction.label(frames, mainExecutable: Self.exe) == "nanosleep")
        let lockWait = [libc(0, "__lll_lock_wait"), libc(1, "___pthread_mutex_lock", exported: "pthread_mutex_lock"),
                        libc(2, "helper_local"), libc(3, "outer", exported: "outer")]
        #expect(CalledFunction.label(lockWait, mainExecutable: Self.exe) == "pthread_mutex_lock", "a local frame ends the run")
        let read = [libc(0, "__GI___libc_read", inline: true), libc(1, "read", exported: "read"),
                    Values.frame(2, pc: 0x55_0000_3000, "block_in_read")]
        #expect(CalledFunction.label(read, mainExecutable: Self.exe) == "read")
    }

    @Test func theProgramsOwnFramesAndUnnamedOnesStopTheWalk() {
        let local = [Values.frame(0, pc: 0x55_0000_1234, "static_helper"), libc(1, "start_thread")]
        #expect(CalledFunction.label(local, mainExecutable: Self.exe) == "static_helper")
        let unnamed = [libc(0, "__futex_wait"), Values.frame(1, pc: 0x7f_0000_9000, nil, offset: 0x9000, module: Values.libc)]
        #expect(CalledFunction.label(unnamed, mainExecutable: Self.exe) == "libc.so.6+0x9000")
        // All local, the stack cut short: the innermost frame as it is.
        #expect(CalledFunction.label([libc(0, "__futex_wait"), libc(1, "start_thread")], mainExecutable: Self.exe)
            == "__futex_wait")
        #expect(CalledFunction.label([], mainExecutable: Self.exe) == nil)
    }

    @Test func aRunEndsAtAnotherLibrary() {
        var outer = libc(1, "_ZNSt18condition_variable4waitERSt11unique_lockISt5mutexE", exported: "std::condition_variable::wait")
        outer.module = "/usr/lib/x86_64-linux-gnu/libstdc++.so.6"
        let frames = [libc(0, "pthread_cond_wait", exported: "pthread_cond_wait"), outer]
        #expect(CalledFunction.label(frames, mainExecutable: Self.exe) == "pthread_cond_wait")
    }

    @Test func syscallEntryWaitChannelsShowAsNothing() {
        // As an untraced thread in nanosleep showed it on this kernel (6.x).
        let asleep = Values.thread(4400, "sleeper", wchan: "do_syscall_64", Values.sleeper.frames)
        let rows = ThreadRows.make([asleep, Values.sleeper])
        #expect(rows[0].wchan == nil && rows[1].wchan == "hrtimer_nanosleep")
        #expect(WaitChannelLabel.shown("do_syscall_64") == nil)
        #expect(WaitChannelLabel.shown("entry_SYSCALL_64_after_hwframe") == nil)
        #expect(WaitChannelLabel.shown("futex_do_wait") == "futex_do_wait")
        #expect(WaitChannelLabel.shown(nil) == nil)
    }
}
