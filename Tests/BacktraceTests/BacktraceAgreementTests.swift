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

    @Test func nothingComparedIsNoAgreement() {
        let report = BacktraceAgreement.compare(ours: [], gdb: [])
        #expect(report.frames.percentage == 0 && report.frames.total == 0)
        #expect(report.stacks.total == 0)
    }
}
