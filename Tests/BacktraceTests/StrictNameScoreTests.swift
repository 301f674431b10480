import Testing
import TestSupport

/// The strict name score on a thread written down from a real run of
/// Tests/Programs/names.cpp (gdb 13.1, g++ 12 -O2 -g): gdb's own names score
/// 100%; the names lwpscope printed before issue 17, which the relaxed rules
/// accept, fail it; so does a name that is another function.
@Suite struct StrictNameScoreTests {
    static let gdbText = """
    Thread 3 (Thread 0x7f9c93c1c6c0 (LWP 4305) "constprop"):
    #0  0x00007f9c944ed545 in __GI___clock_nanosleep (clock_id=..., flags=..., req=..., rem=...) at ../sysdeps/unix/sysv/linux/clock_nanosleep.c:48
    #1  0x00007f9c944f1e53 in __GI___nanosleep (req=..., rem=...) at ../sysdeps/unix/sysv/linux/nanosleep.c:25
    #2  0x000055a423f81df7 in std::this_thread::sleep_for<long, std::ratio<1l, 1l> > (__rtime=...) at /usr/include/c++/12/bits/this_thread_sleep.h:80
    #3  app::doze_for (seconds=...) at /work/wt-names/Tests/Programs/names.cpp:69
    #4  0x000055a423f81e25 in operator() (__closure=...) at /work/wt-names/Tests/Programs/names.cpp:122
    #5  std::__invoke_impl<void, main()::<lambda()> > (__f=...) at /usr/include/c++/12/bits/invoke.h:61
    #6  std::__invoke<main()::<lambda()> > (__fn=...) at /usr/include/c++/12/bits/invoke.h:96
    #7  std::thread::_Invoker<std::tuple<main()::<lambda()> > >::_M_invoke<0> (this=...) at /usr/include/c++/12/bits/std_thread.h:252
    #8  std::thread::_Invoker<std::tuple<main()::<lambda()> > >::operator() (this=...) at /usr/include/c++/12/bits/std_thread.h:259
    #9  std::thread::_State_impl<std::thread::_Invoker<std::tuple<main()::<lambda()> > > >::_M_run(void) (this=...) at /usr/include/c++/12/bits/std_thread.h:210
    #10 0x00007f9c946d44a3 in ?? () from /lib/x86_64-linux-gnu/libstdc++.so.6
    #11 0x00007f9c944a71f5 in start_thread (arg=...) at ./nptl/pthread_create.c:442
    #12 0x00007f9c945278ec in clone3 () at ../sysdeps/unix/sysv/linux/x86_64/clone3.S:81
    """

    /// Our frames' pcs and whether each is inline, named by `names` (nil: no name).
    static func thread(_ names: [String?]) -> DumpThread {
        let pcs: [(UInt64, Bool)] = [
            (0x7f9c_944e_d545, false), (0x7f9c_944f_1e53, false), (0x55a4_23f8_1df7, true), (0x55a4_23f8_1df7, false),
            (0x55a4_23f8_1e25, true), (0x55a4_23f8_1e25, true), (0x55a4_23f8_1e25, true), (0x55a4_23f8_1e25, true),
            (0x55a4_23f8_1e25, true), (0x55a4_23f8_1e25, false), (0x7f9c_946d_44a3, false), (0x7f9c_944a_71f5, false),
            (0x7f9c_9452_78ec, false),
        ]
        let frames = zip(pcs, names).enumerated().map { index, pair in
            DumpFrame(index: index, pc: pair.0.0, function: pair.1, isInline: pair.0.1)
        }
        return DumpThread(tid: 4305, name: "constprop", frames: frames)
    }

    static let gdbNames: [String?] = [
        "__GI___clock_nanosleep", "__GI___nanosleep", "std::this_thread::sleep_for<long, std::ratio<1l, 1l> >",
        "app::doze_for", "operator()", "std::__invoke_impl<void, main()::<lambda()> >", "std::__invoke<main()::<lambda()> >",
        "std::thread::_Invoker<std::tuple<main()::<lambda()> > >::_M_invoke<0>",
        "std::thread::_Invoker<std::tuple<main()::<lambda()> > >::operator()",
        "std::thread::_State_impl<std::thread::_Invoker<std::tuple<main()::<lambda()> > > >::_M_run(void)",
        nil, "start_thread", "clone3",
    ]

    /// What lwpscope printed for these frames before issue 17.
    static let oldNames: [String?] = [
        "clock_nanosleep", "__nanosleep",
        "void std::this_thread::sleep_for<long, std::ratio<1l, 1l> >(std::chrono::duration<long, std::ratio<1l, 1l> > const&)",
        "app::doze_for(int) [clone .constprop.0]", "operator()", "__invoke_impl<void, main()::<lambda()> >",
        "__invoke<main()::<lambda()> >", "_M_invoke<0>", "operator()",
        "std::thread::_State_impl<std::thread::_Invoker<std::tuple<main::{lambda()#2}> > >::_M_run()",
        nil, "start_thread", "clone3",
    ]

    /// glibc's aliases, as nm lists them: the relaxed rules may use them.
    static let evidence = SymbolEvidence(functionNames: { address in
        switch address {
        case 0x7f9c_944e_d500 ..< 0x7f9c_944e_d600: ["__GI___clock_nanosleep", "__clock_nanosleep", "clock_nanosleep"]
        case 0x7f9c_944f_1e00 ..< 0x7f9c_944f_1f00: ["__GI___nanosleep", "__nanosleep", "nanosleep"]
        default: []
        }
    })

    func score(_ names: [String?]) -> AgreementReport {
        BacktraceAgreement.compare(ours: [Self.thread(names)], gdb: GDBOutputParser.parse(Self.gdbText), evidence: Self.evidence)
    }

    @Test func gdbsOwnNamesScoreFull() {
        let report = score(Self.gdbNames)
        #expect(report.frames == AgreementTally(agreeing: 7, total: 7), "\(report)")
        #expect(report.strictNames == AgreementTally(agreeing: 12, total: 12), "\(report)")
        #expect(report.names == AgreementTally(agreeing: 12, total: 12), "\(report)")
        #expect(report.spellings.isEmpty)
    }

    @Test func theOldNamesFailTheStrictScore() {
        let report = score(Self.oldNames)
        // Only operator() (twice: once right, once where gdb qualifies it), start_thread and clone3 are spelled alike.
        #expect(report.strictNames == AgreementTally(agreeing: 3, total: 12), "\(report)")
        #expect(report.strictNames.percentage < 98)
        // The relaxed rules take most of them: they are the same functions.
        #expect(report.names.agreeing > report.strictNames.agreeing, "\(report)")
        #expect(report.frames == AgreementTally(agreeing: 7, total: 7))
        #expect(report.spellings.count == 9)
        #expect(report.spellings.contains {
            $0.gdbIndex == 3 && $0.ours.contains("app::doze_for(int) [clone .constprop.0]") && $0.gdb == "app::doze_for"
        }, "\(report)")
        // Kept apart from the relaxed disagreements: stacks are still judged by those.
        #expect(!report.disagreements.contains { $0.kind == .spelling })
    }

    @Test func aMissingQualifierOrAnotherFunctionFails() {
        var names = Self.gdbNames
        names[3] = "doze_for" // the relaxed rules accept an unqualified name
        names[7] = "std::thread::_Invoker<std::tuple<main()::<lambda()> > >::_M_run" // another function
        let report = score(names)
        #expect(report.strictNames == AgreementTally(agreeing: 10, total: 12), "\(report)")
        #expect(report.names == AgreementTally(agreeing: 11, total: 12), "\(report)")
        #expect(Set(report.spellings.map(\.gdbIndex)) == [3, 7], "\(report)")
    }
}
