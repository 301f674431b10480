import Testing
import TestSupport

/// The yardstick's name and signal-frame rules on hand-written input: inline
/// frames, C++ and Swift spellings, symbol-table aliases, the frames around a
/// signal handler.
@Suite struct AgreementNameTests {
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
}
