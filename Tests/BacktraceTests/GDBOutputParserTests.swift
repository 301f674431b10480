import Testing
import TestSupport

@Suite struct GDBOutputParserTests {
    @Test func threadsComeWithTheirKernelIDsAndNames() {
        let threads = GDBOutputParser.parse(GDBText.cFixture)
        #expect(threads.map(\.number) == [4, 3, 2, 1])
        #expect(threads.map(\.tid) == [1238, 1237, 1236, 1235])
        #expect(threads.map(\.name) == ["worker-1", "reader", "spinner-1", "fixture-threads"])
    }

    @Test func theAttachLineIsNoFrame() {
        // gdb prints the current frame on attach, before any "Thread" header.
        let main = GDBOutputParser.parse(GDBText.cFixture).thread(tid: 1235)
        #expect(main?.frames.count == 7)
        #expect(main?.frames.first?.function == "__GI___clock_nanosleep")
        #expect(main?.frames.last?.function == "_start")
    }

    @Test func framesWithAddressesSourcesAndArguments() throws {
        let worker = try #require(GDBOutputParser.parse(GDBText.cFixture).thread(named: "worker-1"))
        #expect(worker.frames.map(\.index) == Array(0...7))
        #expect(worker.functionNames == [
            "__GI___clock_nanosleep", "__GI___nanosleep", "worker_inner", "worker_middle", "worker_outer",
            "thread_main", "start_thread", "clone3",
        ])
        #expect(worker.frames[2] == GDBFrame(index: 2, pc: 0x55b8_5788_3a10, function: "worker_inner", source: "threads_fixture.inc.c:72"))
        #expect(worker.frames.allSatisfy { !$0.isInline && $0.pc != nil })
    }

    @Test func frameZeroAtALineStartHasNoAddressAndIsNotInline() throws {
        let spinner = try #require(GDBOutputParser.parse(GDBText.cFixture).thread(named: "spinner-1"))
        #expect(spinner.frames[0] == GDBFrame(index: 0, pc: nil, function: "spin_on_hold", source: "threads_fixture.inc.c:33"))
        #expect(spinner.physicalFrames.count == 4)
    }

    @Test func aCallerWithoutAddressMakesTheFrameBelowItInline() throws {
        // read.c:26 is inlined into read.c:24, both printed as __GI___libc_read.
        let reader = try #require(GDBOutputParser.parse(GDBText.cFixture).thread(named: "reader"))
        #expect(reader.frames.map(\.isInline) == [true, false, false, false, false, false])
        let physical = reader.physicalFrames
        #expect(physical.count == 5)
        #expect(physical[0] == GDBPhysicalFrame(
            indices: [0, 1], pc: nil, function: "__GI___libc_read", inlined: ["__GI___libc_read"], isSignalTrampoline: false))
        #expect(physical[1].pc == 0x55b8_5788_39a3 && physical[1].function == "block_in_read")
    }

    @Test func cxxNamesKeepTheirTemplatesNamespacesAndParentheses() throws {
        let threads = GDBOutputParser.parse(GDBText.cxxFixture)
        let chain = try #require(threads.thread(named: "chain"))
        #expect(chain.functionNames == [
            "__GI___clock_nanosleep", "__GI___nanosleep",
            "std::this_thread::sleep_for<long, std::ratio<1l, 1000l> >",
            "(anonymous namespace)::chain_inner",
            "lwp::demo::chain_outer",
            "operator()",
            "std::__invoke_impl<void, main()::<lambda()> >",
            "std::__invoke<main()::<lambda()> >",
            "std::thread::_Invoker<std::tuple<main()::<lambda()> > >::_M_invoke<0>",
            "std::thread::_Invoker<std::tuple<main()::<lambda()> > >::operator()",
            "std::thread::_State_impl<std::thread::_Invoker<std::tuple<main()::<lambda()> > > >::_M_run(void)",
            nil, "start_thread", "clone3",
        ])
        #expect(chain.frames[11].library == "/lib/x86_64-linux-gnu/libstdc++.so.6")
        #expect(chain.frames[11].pc == 0x7f8f_5a0d_44a3)
    }

    @Test func inlineChainsFoldIntoOneMachineFrame() throws {
        let chain = try #require(GDBOutputParser.parse(GDBText.cxxFixture).thread(named: "chain"))
        // sleep_for is inlined into chain_inner; the lambda and four std
        // helpers are inlined into _M_run.
        #expect(chain.frames.filter(\.isInline).map(\.index) == [2, 5, 6, 7, 8, 9])
        let physical = chain.physicalFrames
        #expect(physical.map(\.indices) == [[0], [1], [2, 3], [4], [5, 6, 7, 8, 9, 10], [11], [12], [13]])
        #expect(physical[2].pc == 0x55b8_5788_37b7)
        #expect(physical[2].function == "(anonymous namespace)::chain_inner")
        #expect(physical[2].inlined == ["std::this_thread::sleep_for<long, std::ratio<1l, 1000l> >"])
        #expect(physical[4].function?.hasSuffix("::_M_run(void)") == true)
        #expect(physical[4].inlined.first == "operator()")
    }

    @Test func aCalledLambdaIsItsOwnFrame() throws {
        let waiter = try #require(GDBOutputParser.parse(GDBText.cxxFixture).thread(named: "cv-waiter"))
        #expect(waiter.frames.filter(\.isInline).map(\.index) == [0, 3, 6, 7, 8, 9])
        let physical = waiter.physicalFrames
        #expect(physical.map(\.function) == [
            "__futex_abstimed_wait_common", "__GI___futex_abstimed_wait_cancelable64", "___pthread_cond_wait",
            "operator()",
            "std::thread::_State_impl<std::thread::_Invoker<std::tuple<main()::<lambda()> > > >::_M_run(void)",
            nil, "start_thread", "clone3",
        ])
    }

    @Test func signalFramesLibrariesUnknownsAndStops() throws {
        let threads = GDBOutputParser.parse(GDBText.oddities)
        let odd = try #require(threads.thread(tid: 4242))
        #expect(odd.number == 2 && odd.name == "odd one")
        #expect(odd.frames[0].library == "/lib/x86_64-linux-gnu/libc.so.6" && odd.frames[0].function == "raise")
        #expect(odd.frames[2] == GDBFrame(index: 2, pc: nil, function: "<signal handler called>", isSignalTrampoline: true))
        // The interrupted frame has no address (its pc starts a line), yet
        // neither it nor the trampoline is inline.
        #expect(odd.frames.map(\.isInline) == [false, false, false, false, false, false])
        #expect(odd.frames[3].function == "interrupted_here" && odd.frames[3].pc == nil)
        #expect(odd.frames[4].function == nil && odd.frames[4].pc == 0x401136)
        #expect(odd.frames[5].function == "std::function<void ()>::operator()() const")
        #expect(odd.stopReason == "previous frame inner to this frame (corrupt stack?)")
        #expect(odd.physicalFrames.count == 6)

        let single = try #require(threads.thread(tid: 4241))
        #expect(single.name == nil && single.functionNames == ["main"])
    }

    @Test func garbageGivesNoThreads() {
        #expect(GDBOutputParser.parse("").isEmpty)
        #expect(GDBOutputParser.parse("ptrace: Operation not permitted.\n#0 not in a thread\n").isEmpty)
    }
}
