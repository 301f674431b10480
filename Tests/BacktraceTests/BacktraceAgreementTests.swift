import Testing
import TestSupport

/// The yardstick on hand-written input: GDBText's gdb output against
/// `dump --json` output written to match it, frame by frame.
@Suite struct BacktraceAgreementTests {
    static let gdb = GDBOutputParser.parse(GDBText.cFixture)

    /// Our view of GDBText.cFixture: symbol-table names, and the main thread
    /// unwound past main, which gdb does not show.
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
        {"index": 0, "pc": "0x7f8f5a0162ec", "module": "/usr/lib/x86_64-linux-gnu/libc.so.6", "function": "read", "offset": 28},
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
        let report = BacktraceAgreement.compare(ours: try DumpOutput.decode(Self.agreeingJSON), gdb: Self.gdb)
        // gdb's machine frames: worker 8, reader 5 (read.c:26 inlined into
        // read.c:24 counts once), spinner 4, main 4 (our frames past main do
        // not count).
        #expect(report.frames == AgreementTally(agreeing: 21, total: 21), "\(report)")
        #expect(report.names == AgreementTally(agreeing: 21, total: 21), "\(report)")
        #expect(report.frames.percentage == 100)
        #expect(report.threadsCompared == 4)
        #expect(report.disagreements.isEmpty && report.missingThreads.isEmpty && report.extraThreads.isEmpty)
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

        let report = BacktraceAgreement.compare(ours: dump, gdb: Self.gdb)
        // Frames: main 4/4, spinner 0/4, reader 5/5, worker 7/8. The frame
        // after the skipped one still matches, by searching forward.
        #expect(report.frames == AgreementTally(agreeing: 16, total: 21), "\(report)")
        // Names over the frames that lined up: main 4, reader 5, worker 6/7.
        #expect(report.names == AgreementTally(agreeing: 15, total: 16), "\(report)")
        #expect(report.missingThreads == [1236])
        #expect(report.extraThreads == [9999])
        #expect(report.disagreements == [
            FrameDisagreement(tid: 1236, gdbIndex: 0, kind: .missingThread, ours: "no such thread", gdb: "4 frames"),
            FrameDisagreement(tid: 1238, gdbIndex: 3, kind: .frame, ours: "0x55b857883a7b worker_outer", gdb: "0x55b857883a4b worker_middle"),
            FrameDisagreement(tid: 1238, gdbIndex: 5, kind: .name, ours: "0x55b857883b02 mystery", gdb: "0x55b857883b02 thread_main"),
        ])
        let text = report.description
        #expect(text.hasPrefix("frames 16/21 (76.2%), names 15/16 (93.8%), 3 threads compared"))
        #expect(text.contains("tid 1238 #3 frame: ours 0x55b857883a7b worker_outer | gdb 0x55b857883a4b worker_middle"))
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
        #expect(report.disagreements.map(\.kind) == [.frame])
    }

    @Test func inlineFramesCountOnceAndLambdaSpellingsMatch() throws {
        let gdb = GDBOutputParser.parse(GDBText.cxxFixture)
        let libc = "/usr/lib/x86_64-linux-gnu/libc.so.6"
        let ours = [DumpThread(tid: 27868, name: "chain", frames: [
            DumpFrame(index: 0, pc: 0x7f8f_59ee_d545, module: libc, function: "clock_nanosleep@GLIBC_2.2.5"),
            DumpFrame(index: 1, pc: 0x7f8f_59ef_1e53, module: libc, function: "__nanosleep"),
            DumpFrame(index: 2, pc: 0x55b8_5788_37b7, function: "(anonymous namespace)::chain_inner(int)"),
            DumpFrame(index: 3, pc: 0x55b8_5788_38d9, function: "lwp::demo::chain_outer(int)"),
            DumpFrame(index: 4, pc: 0x55b8_5788_38f7, function: "std::thread::_State_impl<std::thread::_Invoker<std::tuple<main::{lambda()#5}> > >::_M_run()"),
            DumpFrame(index: 5, pc: 0x7f8f_5a0d_44a3, module: "/usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30"),
            DumpFrame(index: 6, pc: 0x7f8f_59ea_71f5, module: libc, function: "start_thread"),
            DumpFrame(index: 7, pc: 0x7f8f_59f2_78ec, module: libc, function: "__clone3"),
        ])]
        let chain = BacktraceAgreement.compare(ours: ours, gdb: gdb.filter { $0.name == "chain" })
        // 14 gdb frames, 8 machine frames; gdb's `??` has no name to compare.
        #expect(chain.frames == AgreementTally(agreeing: 8, total: 8), "\(chain)")
        #expect(chain.names == AgreementTally(agreeing: 7, total: 7), "\(chain)")
        // With cv-waiter, which is not in our output: its 8 machine frames count against us.
        let both = BacktraceAgreement.compare(ours: ours, gdb: gdb)
        #expect(both.missingThreads == [27865])
        #expect(both.frames == AgreementTally(agreeing: 8, total: 16))
    }

    @Test func signalFramesMatchByName() throws {
        let gdb = GDBOutputParser.parse(GDBText.oddities).filter { $0.tid == 4242 }
        let ours = [DumpThread(tid: 4242, frames: [
            DumpFrame(index: 0, pc: 0x7f00_0000_1000, function: "raise"),
            DumpFrame(index: 1, pc: 0x7f00_0000_2000, function: "handler"),
            DumpFrame(index: 2, pc: 0x7f00_0000_0f00, function: "__restore_rt"),
            DumpFrame(index: 3, pc: 0x40_1100, function: "interrupted_here"),
            DumpFrame(index: 4, pc: 0x40_1136),
            DumpFrame(index: 5, pc: 0x7f00_0000_3000, function: "std::function<void ()>::operator()() const"),
        ])]
        let report = BacktraceAgreement.compare(ours: ours, gdb: gdb)
        #expect(report.frames == AgreementTally(agreeing: 6, total: 6), "\(report)")
    }

    @Test func theCallerSettlesWhatTheNameRulesCannot() {
        // gdb does not demangle Swift; the integrator's demangler can.
        let gdb = GDBOutputParser.parse("""
        Thread 2 (Thread 0x7f (LWP 60) "spinner"):
        #0  0x000055588023eb36 in $s13fixture_swift10spinOnHoldyyF () at Parking.swift:25
        """)
        let ours = [DumpThread(tid: 60, frames: [
            DumpFrame(index: 0, pc: 0x5558_8023_eb36, function: "fixture_swift.spinOnHold() -> ()"),
        ])]
        #expect(BacktraceAgreement.compare(ours: ours, gdb: gdb).frames == AgreementTally(agreeing: 0, total: 1))
        let report = BacktraceAgreement.compare(ours: ours, gdb: gdb) { ourName, gdbName, pc in
            pc == 0x5558_8023_eb36 && gdbName == "$s13fixture_swift10spinOnHoldyyF" && ourName.hasPrefix("fixture_swift.spinOnHold()")
        }
        #expect(report.frames == AgreementTally(agreeing: 1, total: 1))
    }

    @Test func nothingComparedIsNoAgreement() {
        let report = BacktraceAgreement.compare(ours: [], gdb: [])
        #expect(report.frames.percentage == 0 && report.frames.total == 0)
    }
}
