import Testing
import TestSupport

/// The yardstick on hand-written input: GDBText's gdb output against
/// `dump --json` output written to match it, frame by frame.
@Suite struct BacktraceAgreementTests {
    static let gdb = GDBOutputParser.parse(GDBText.cFixture)

    /// Our view of GDBText.cFixture: symbol-table names (glibc's public
    /// aliases where gdb prints its internal ones), frames as gdb has them.
    static let agreeingJSON = """
    {"pid": 1235, "stoppedMicroseconds": 640, "threads": [
      {"tid": 1235, "name": "fixture-threads", "state": "S", "frames": [
        {"index": 0, "pc": "0x7f8f59eed545", "module": "/usr/lib/x86_64-linux-gnu/libc.so.6", "function": "clock_nanosleep@GLIBC_2.2.5", "offset": 101},
        {"index": 1, "pc": "0x7f8f59ef1e53", "module": "/usr/lib/x86_64-linux-gnu/libc.so.6", "function": "__nanosleep", "offset": 19},
        {"index": 2, "pc": "0x55b857883c40", "module": "/b/fixture-threads-nofp", "function": "park_main_thread", "offset": 48},
        {"index": 3, "pc": "0x55b8578834a2", "module": "/b/fixture-threads-nofp", "function": "main", "offset": 290},
        {"index": 4, "pc": "0x7f8f59e4524a", "module": "/usr/lib/x86_64-linux-gnu/libc.so.6", "function": "__libc_start_call_main", "offset": 122},
        {"index": 5, "pc": "0x7f8f59e45305", "module": "/usr/lib/x86_64-linux-gnu/libc.so.6", "function": "__libc_start_main", "offset": 133},
        {"index": 6, "pc": "0x55b857883561", "module": "/b/fixture-threads-nofp", "function": "_start", "offset": 33}]},
      {"tid": 1236, "name": "spinner-1", "state": "R", "frames": [
        {"index": 0, "pc": "0x55b857883970", "module": "/b/fixture-threads-nofp", "function": "spin_on_hold", "offset": 16},
        {"index": 1, "pc": "0x55b857883b02", "module": "/b/fixture-threads-nofp", "function": "thread_main", "offset": 82},
        {"index": 2, "pc": "0x7f8f59ea71f5", "module": "/usr/lib/x86_64-linux-gnu/libc.so.6", "function": "start_thread", "offset": 725},
        {"index": 3, "pc": "0x7f8f59f278ec", "module": "/usr/lib/x86_64-linux-gnu/libc.so.6", "function": "__clone3", "offset": 44}]},
      {"tid": 1237, "name": "reader", "state": "S", "frames": [
        {"index": 0, "pc": "0x7f8f59f162ec", "module": "/usr/lib/x86_64-linux-gnu/libc.so.6", "function": "read", "offset": 28},
        {"index": 1, "pc": "0x55b8578839a3", "module": "/b/fixture-threads-nofp", "function": "block_in_read", "offset": 35},
        {"index": 2, "pc": "0x55b857883b02", "module": "/b/fixture-threads-nofp", "function": "thread_main", "offset": 82},
        {"index": 3, "pc": "0x7f8f59ea71f5", "module": "/usr/lib/x86_64-linux-gnu/libc.so.6", "function": "start_thread", "offset": 725},
        {"index": 4, "pc": "0x7f8f59f278ec", "module": "/usr/lib/x86_64-linux-gnu/libc.so.6", "function": "__clone3", "offset": 44}]},
      {"tid": 1238, "name": "worker-1", "state": "S", "frames": [
        {"index": 0, "pc": "0x7f8f59eed545", "module": "/usr/lib/x86_64-linux-gnu/libc.so.6", "function": "clock_nanosleep@GLIBC_2.2.5", "offset": 101},
        {"index": 1, "pc": "0x7f8f59ef1e53", "module": "/usr/lib/x86_64-linux-gnu/libc.so.6", "function": "__nanosleep", "offset": 19},
        {"index": 2, "pc": "0x55b857883a10", "module": "/b/fixture-threads-nofp", "function": "worker_inner", "offset": 32},
        {"index": 3, "pc": "0x55b857883a4b", "module": "/b/fixture-threads-nofp", "function": "worker_middle", "offset": 11},
        {"index": 4, "pc": "0x55b857883a7b", "module": "/b/fixture-threads-nofp", "function": "worker_outer", "offset": 11},
        {"index": 5, "pc": "0x55b857883b02", "module": "/b/fixture-threads-nofp", "function": "thread_main", "offset": 82},
        {"index": 6, "pc": "0x7f8f59ea71f5", "module": "/usr/lib/x86_64-linux-gnu/libc.so.6", "function": "start_thread", "offset": 725},
        {"index": 7, "pc": "0x7f8f59f278ec", "module": "/usr/lib/x86_64-linux-gnu/libc.so.6", "function": "__clone3", "offset": 44}]}
    ]}
    """

    @Test func decodesDumpJSON() throws {
        let dump = try DumpOutput.decode(Self.agreeingJSON)
        #expect(dump.pid == 1235 && dump.stoppedMicroseconds == 640)
        #expect(dump.threads.map(\.tid) == [1235, 1236, 1237, 1238])
        #expect(dump.threads[1].frames[0] == DumpFrame(
            index: 0, pc: 0x55b8_5788_3970, module: "/b/fixture-threads-nofp", function: "spin_on_hold", offset: 16))
        let sparse = try DumpOutput.decode(#"{"pid": 7, "threads": [{"tid": 7, "frames": [{"index": 0, "pc": "0x10", "module": null, "function": null}]}]}"#)
        #expect(sparse.threads[0].frames[0] == DumpFrame(index: 0, pc: 0x10))
        #expect(throws: (any Error).self) {
            try DumpOutput.decode(#"{"pid": 7, "threads": [{"tid": 7, "frames": [{"index": 0, "pc": "16"}]}]}"#)
        }
    }

    @Test func fullAgreement() throws {
        let report = BacktraceAgreement.compare(
            ours: try DumpOutput.decode(Self.agreeingJSON), gdb: Self.gdb, evidence: RecordedSymbols.evidence)
        // gdb's machine frames: main 7 (past main, as GDBReference asks),
        // spinner 4, reader 5 (read.c:26 inlined into read.c:24 counts
        // once), worker 8.
        #expect(report.frames == AgreementTally(agreeing: 24, total: 24), "\(report)")
        #expect(report.extraFrames == 0)
        #expect(report.names == AgreementTally(agreeing: 24, total: 24), "\(report)")
        #expect(report.stacks == AgreementTally(agreeing: 4, total: 4), "\(report)")
        #expect(report.frames.percentage == 100)
        #expect(report.threadsCompared == 4)
        #expect(report.disagreements.isEmpty && report.missingThreads.isEmpty && report.extraThreads.isEmpty)
    }

    @Test func glibcAliasesNeedTheSymbolTable() throws {
        // Without the symbol table, `read` is not `__GI___libc_read`: no
        // rule about underscores decides that two names are one function.
        let report = BacktraceAgreement.compare(ours: try DumpOutput.decode(Self.agreeingJSON), gdb: Self.gdb)
        // clock_nanosleep x2, __nanosleep x2, __libc_start_main, read, __clone3 x3.
        #expect(report.names == AgreementTally(agreeing: 15, total: 24), "\(report)")
        // Frame 0 agrees by name, so the three in glibc are wrong frames too.
        #expect(report.frames == AgreementTally(agreeing: 21, total: 24), "\(report)")
        #expect(report.disagreements.contains(FrameDisagreement(
            tid: 1237, gdbIndex: 0, kind: .frame,
            ours: "0x7f8f59f162ec read in libc.so.6", gdb: "- __GI___libc_read (inlined: __GI___libc_read)")))
    }

    @Test func aSkippedFrameAWrongNameAndAMissingThread() throws {
        var dump = try DumpOutput.decode(Self.agreeingJSON)
        // worker-1: our unwinder skipped worker_middle and misnamed thread_main.
        var worker = dump.threads[3]
        worker.frames.remove(at: 3)
        worker.frames[4].function = "mystery"
        dump.threads[3] = worker
        // spinner-1 is gone; a thread gdb did not see is extra.
        dump.threads.remove(at: 1)
        dump.threads.append(DumpThread(tid: 9999, frames: [DumpFrame(index: 0, pc: 0x1000)]))

        let report = BacktraceAgreement.compare(ours: dump, gdb: Self.gdb, evidence: RecordedSymbols.evidence)
        // Frames: main 7/7, spinner 0/4, reader 5/5, worker 7/8. The frame
        // after the skipped one still matches, by searching forward.
        #expect(report.frames == AgreementTally(agreeing: 19, total: 24), "\(report)")
        // Names over the frames that lined up: main 7, reader 5, worker 6/7.
        #expect(report.names == AgreementTally(agreeing: 18, total: 19), "\(report)")
        // main and reader agree; worker and the missing spinner do not.
        #expect(report.stacks == AgreementTally(agreeing: 2, total: 4), "\(report)")
        #expect(report.missingThreads == [1236])
        #expect(report.extraThreads == [9999])
        #expect(report.disagreements == [
            FrameDisagreement(tid: 1236, gdbIndex: 0, kind: .missingThread, ours: "no such thread", gdb: "4 frames"),
            FrameDisagreement(tid: 1238, gdbIndex: 3, kind: .frame, ours: "no frame here", gdb: "0x55b857883a4b worker_middle"),
            FrameDisagreement(tid: 1238, gdbIndex: 5, kind: .name,
                              ours: "0x55b857883b02 mystery in fixture-threads-nofp", gdb: "0x55b857883b02 thread_main"),
        ])
        let text = report.description
        #expect(text.hasPrefix("frames 19/24 (79.2%) (0 of ours gdb does not have), names 18/19 (94.7%), stacks 2/4 (50.0%), 3 threads compared"))
        #expect(text.contains("tid 1238 #3 frame: ours no frame here | gdb 0x55b857883a4b worker_middle"))
    }

    /// The yardstick's own test: one frame we made up and one name we got
    /// wrong, in an otherwise perfect dump, fail the 98% the acceptance asks.
    @Test func anInsertedFrameAndAWrongNameFail() throws {
        var dump = try DumpOutput.decode(Self.agreeingJSON)
        // worker-1: a frame between worker_inner and worker_middle that gdb does not have.
        dump.threads[3].frames.insert(
            DumpFrame(index: 3, pc: 0x55b8_5788_3a30, module: "/b/fixture-threads-nofp", function: "worker_helper", offset: 16),
            at: 3)
        // reader: block_in_read printed as another function.
        dump.threads[2].frames[1].function = "block_in_write"

        let report = BacktraceAgreement.compare(ours: dump, gdb: Self.gdb, evidence: RecordedSymbols.evidence)
        #expect(report.frames == AgreementTally(agreeing: 24, total: 25), "\(report)")
        #expect(report.extraFrames == 1)
        #expect(report.names == AgreementTally(agreeing: 23, total: 24), "\(report)")
        #expect(report.stacks == AgreementTally(agreeing: 2, total: 4), "\(report)")
        #expect(report.frames.percentage < 98 && report.names.percentage < 98)
        #expect(report.disagreements == [
            FrameDisagreement(tid: 1237, gdbIndex: 2, kind: .name,
                              ours: "0x55b8578839a3 block_in_write in fixture-threads-nofp",
                              gdb: "0x55b8578839a3 block_in_read"),
            FrameDisagreement(tid: 1238, gdbIndex: 3, kind: .extraFrame,
                              ours: "0x55b857883a30 worker_helper in fixture-threads-nofp", gdb: "no such frame"),
        ])
    }

    @Test func framesAfterGDBsLastAreMisses() throws {
        var dump = try DumpOutput.decode(Self.agreeingJSON)
        // spinner-1: unwound on past clone3, into what gdb knows is the end.
        dump.threads[1].frames.append(DumpFrame(index: 4, pc: 0x7f8f_59f2_7900, function: "__clone3"))
        let report = BacktraceAgreement.compare(ours: dump, gdb: Self.gdb, evidence: RecordedSymbols.evidence)
        #expect(report.frames == AgreementTally(agreeing: 24, total: 25), "\(report)")
        #expect(report.disagreements == [
            FrameDisagreement(tid: 1236, gdbIndex: 4, kind: .extraFrame, ours: "0x7f8f59f27900 __clone3", gdb: "no such frame"),
        ])
    }

    @Test func frameZeroIsComparedByNameNotPC() throws {
        // The spinner moved between our stop and gdb's: another pc, same function.
        let gdb = GDBOutputParser.parse("""
        Thread 2 (Thread 0x7f (LWP 50) "spinner-1"):
        #0  0x0000000000401200 in spin_on_hold () at f.c:33
        #1  0x0000000000401300 in thread_main (arg=...) at f.c:98
        """)
        let ours = [DumpThread(tid: 50, frames: [
            DumpFrame(index: 0, pc: 0x401204, function: "spin_on_hold"),
            DumpFrame(index: 1, pc: 0x401300, function: "thread_main"),
        ])]
        #expect(BacktraceAgreement.compare(ours: ours, gdb: gdb).frames == AgreementTally(agreeing: 2, total: 2))
        var wrong = ours
        wrong[0].frames[0].function = "thread_main"
        let report = BacktraceAgreement.compare(ours: wrong, gdb: gdb)
        #expect(report.frames == AgreementTally(agreeing: 1, total: 2))
        #expect(report.names == AgreementTally(agreeing: 1, total: 2))
        #expect(report.disagreements.map(\.kind) == [.frame])
    }

    @Test func inlineFramesCountOnceAndLambdaSpellingsMatch() throws {
        let gdb = GDBOutputParser.parse(GDBText.cxxFixture)
        let ours = [Self.chainThread()]
        let chain = BacktraceAgreement.compare(ours: ours, gdb: gdb.filter { $0.name == "chain" }, evidence: RecordedSymbols.evidence)
        // 14 gdb frames, 8 machine frames; gdb's `??` and our unnamed frame have no name to compare.
        #expect(chain.frames == AgreementTally(agreeing: 8, total: 8), "\(chain)")
        #expect(chain.names == AgreementTally(agreeing: 7, total: 7), "\(chain)")
        // With cv-waiter, which is not in our output: its 8 machine frames count against us.
        let both = BacktraceAgreement.compare(ours: ours, gdb: gdb, evidence: RecordedSymbols.evidence)
        #expect(both.missingThreads == [27865])
        #expect(both.frames == AgreementTally(agreeing: 8, total: 16))
        #expect(both.stacks == AgreementTally(agreeing: 1, total: 2))
    }

    @Test func everyInlineNameWePrintIsScored() throws {
        let gdb = GDBOutputParser.parse(GDBText.cxxFixture).filter { $0.name == "chain" }
        var thread = Self.chainThread()
        // chain_inner's machine frame with gdb's inline sleep_for, as the demangler spells it...
        let sleepFor = DumpFrame(
            index: 2, pc: 0x55b8_5788_37b7,
            function: "void std::this_thread::sleep_for<long, std::ratio<1l, 1000l> >(std::chrono::duration<long, std::ratio<1l, 1000l> > const&)",
            isInline: true)
        thread.frames.insert(sleepFor, at: 2)
        let agreeing = BacktraceAgreement.compare(ours: [thread], gdb: gdb, evidence: RecordedSymbols.evidence)
        #expect(agreeing.names == AgreementTally(agreeing: 8, total: 8), "\(agreeing)")
        #expect(agreeing.frames == AgreementTally(agreeing: 8, total: 8), "\(agreeing)")
        // ...and one inline level more than gdb shows: a name gdb does not have.
        var invented = sleepFor
        invented.function = "lwp::demo::nap()"
        thread.frames.insert(invented, at: 2)
        let report = BacktraceAgreement.compare(ours: [thread], gdb: gdb, evidence: RecordedSymbols.evidence)
        #expect(report.names == AgreementTally(agreeing: 8, total: 9), "\(report)")
        #expect(report.disagreements == [
            FrameDisagreement(tid: 27868, gdbIndex: 2, kind: .name, ours: "0x55b8578837b7 inline lwp::demo::nap()",
                              gdb: "no inline frame here"),
        ])
    }

    /// chain's frames as a symbol-table symbolizer without inline frames prints them.
    static func chainThread() -> DumpThread {
        let libc = "/usr/lib/x86_64-linux-gnu/libc.so.6"
        return DumpThread(tid: 27868, name: "chain", frames: [
            DumpFrame(index: 0, pc: 0x7f8f_59ee_d545, module: libc, function: "clock_nanosleep@GLIBC_2.2.5"),
            DumpFrame(index: 1, pc: 0x7f8f_59ef_1e53, module: libc, function: "__nanosleep"),
            DumpFrame(index: 2, pc: 0x55b8_5788_37b7, function: "(anonymous namespace)::chain_inner(int)"),
            DumpFrame(index: 3, pc: 0x55b8_5788_38d9, function: "lwp::demo::chain_outer(int)"),
            DumpFrame(index: 4, pc: 0x55b8_5788_38f7, function: "std::thread::_State_impl<std::thread::_Invoker<std::tuple<main::{lambda()#5}> > >::_M_run()"),
            DumpFrame(index: 5, pc: 0x7f8f_5a0d_44a3, module: "/usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30"),
            DumpFrame(index: 6, pc: 0x7f8f_59ea_71f5, module: libc, function: "start_thread"),
            DumpFrame(index: 7, pc: 0x7f8f_59f2_78ec, module: libc, function: "__clone3"),
        ])
    }

    static let signalFrames = [
        DumpFrame(index: 0, pc: 0x7f00_0000_1000, function: "raise"),
        DumpFrame(index: 1, pc: 0x7f00_0000_2000, function: "handler"),
        DumpFrame(index: 2, pc: 0x7f00_0000_0f00, function: "__restore_rt"),
        DumpFrame(index: 3, pc: 0x40_1100, function: "interrupted_here"),
        DumpFrame(index: 4, pc: 0x40_1136),
        DumpFrame(index: 5, pc: 0x7f00_0000_3000, function: "std::function<void ()>::operator()() const"),
    ]

    @Test func signalFramesMatchAndTheInterruptedFrameIsScored() throws {
        let gdb = GDBOutputParser.parse(GDBText.oddities).filter { $0.tid == 4242 }
        let report = BacktraceAgreement.compare(ours: [DumpThread(tid: 4242, frames: Self.signalFrames)], gdb: gdb)
        #expect(report.frames == AgreementTally(agreeing: 6, total: 6), "\(report)")
        // raise, handler, the trampoline, interrupted_here, operator(); gdb's `??` has no name.
        #expect(report.names == AgreementTally(agreeing: 5, total: 5), "\(report)")

        var misnamed = Self.signalFrames
        misnamed[3].function = "somewhere_else"
        let wrong = BacktraceAgreement.compare(ours: [DumpThread(tid: 4242, frames: misnamed)], gdb: gdb)
        // gdb's #3 has no address, so the name is all that places it: ours
        // does not match it, and is a frame gdb does not have.
        #expect(wrong.frames == AgreementTally(agreeing: 5, total: 7), "\(wrong)")
        #expect(wrong.disagreements.map(\.kind) == [.frame, .extraFrame], "\(wrong)")
    }

    @Test func theInterruptedFrameIsNeverTakenForATailCall() throws {
        // The interrupted pc follows no call; it must be scored all the same.
        let gdb = GDBOutputParser.parse("""
        Thread 2 (LWP 4243 "sig"):
        #0  0x00007f0000001000 in raise () from /lib/x86_64-linux-gnu/libc.so.6
        #1  <signal handler called>
        #2  0x0000000000401104 in interrupted_here () at sig.c:7
        #3  0x0000000000401136 in caller () at sig.c:12
        """)
        let everyCallerLooksTailCalled = SymbolEvidence(isTailCallFrame: { _ in true })
        var frames = [Self.signalFrames[0], Self.signalFrames[2], Self.signalFrames[3], Self.signalFrames[4]]
        frames[2].pc = 0x40_1104
        frames[2].function = "somewhere_else"
        frames[3].function = "caller"
        let report = BacktraceAgreement.compare(
            ours: [DumpThread(tid: 4243, frames: frames)], gdb: gdb, evidence: everyCallerLooksTailCalled)
        // #3 is skipped as a tail call, and so is our frame at its address;
        // #0, the trampoline and the interrupted frame are scored.
        #expect(report.frames == AgreementTally(agreeing: 3, total: 3), "\(report)")
        #expect(report.names == AgreementTally(agreeing: 2, total: 3), "\(report)")
        #expect(report.disagreements == [
            FrameDisagreement(tid: 4243, gdbIndex: 2, kind: .name,
                              ours: "0x401104 somewhere_else", gdb: "0x401104 interrupted_here"),
        ])
    }

    @Test(.enabled(if: findExecutable("swift-demangle") != nil, "swift-demangle is not installed"))
    func swiftNamesGoThroughTheToolchainsDemangler() {
        // gdb does not demangle Swift; swift-demangle can.
        let gdb = GDBOutputParser.parse("""
        Thread 2 (Thread 0x7f (LWP 60) "spinner"):
        #0  0x000055588023eb36 in $s13fixture_swift10spinOnHoldyyF () at Parking.swift:25
        """)
        let ours = [DumpThread(tid: 60, frames: [DumpFrame(index: 0, pc: 0x5558_8023_eb36, function: "spinOnHold()")])]
        #expect(BacktraceAgreement.compare(ours: ours, gdb: gdb).frames == AgreementTally(agreeing: 0, total: 1))
        let demangling = SymbolEvidence(spellings: ExternalDemangler.spellings(of:))
        #expect(BacktraceAgreement.compare(ours: ours, gdb: gdb, evidence: demangling).frames == AgreementTally(agreeing: 1, total: 1))
        var wrong = ours
        wrong[0].frames[0].function = "sleepInUsleep()"
        #expect(BacktraceAgreement.compare(ours: wrong, gdb: gdb, evidence: demangling).frames == AgreementTally(agreeing: 0, total: 1))
    }

    @Test func anAliasMustBeASymbolOfTheSameFunction() {
        let gdb = GDBOutputParser.parse("""
        Thread 2 (LWP 70 "reader"):
        #0  0x00007f8f59f162ec in __GI___libc_read (fd=...) at ../sysdeps/unix/sysv/linux/read.c:26
        """)
        func names(_ name: String) -> AgreementTally {
            let ours = [DumpThread(tid: 70, frames: [DumpFrame(index: 0, pc: 0x7f8f_59f1_62ec, function: name)])]
            return BacktraceAgreement.compare(ours: ours, gdb: gdb, evidence: RecordedSymbols.evidence).names
        }
        #expect(names("read") == AgreementTally(agreeing: 1, total: 1))
        #expect(names("__read@@GLIBC_2.2.5") == AgreementTally(agreeing: 1, total: 1))
        // A real libc function, and spelled like an alias, but at another address.
        #expect(names("__read_nocancel") == AgreementTally(agreeing: 0, total: 1))
        #expect(names("__GI___read_nocancel") == AgreementTally(agreeing: 0, total: 1))
    }

    @Test func nothingComparedIsNoAgreement() {
        let report = BacktraceAgreement.compare(ours: [], gdb: [])
        #expect(report.frames.percentage == 0 && report.frames.total == 0)
        #expect(report.stacks.total == 0)
    }
}
