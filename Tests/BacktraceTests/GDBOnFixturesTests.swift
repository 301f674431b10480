import Foundation
import ProcFS
import Testing
import TestSupport

/// gdb on the live fixtures: the reference itself must see what the fixtures
/// were written to show, and must leave them untraced.
@Suite(.timeLimit(.minutes(8)), .enabled(if: GDBReference.isAvailable, "gdb is not installed"))
struct GDBOnFixturesTests {
    @Test func cFixtureWithoutFramePointers() throws {
        let child = try startFixture("fixture-threads-nofp")
        let threads = try GDBReference.backtraces(of: child.pid)
        #expect(TaskStates.untraced(child.pid), "\(TaskStates.of(child.pid))")

        let procfs = ProcFS()
        #expect(threads.map(\.tid).sorted() == (procfs.threadIDs(child.pid) ?? []).sorted())
        for thread in threads {
            #expect(thread.name == procfs.comm(child.pid, thread: thread.tid))
        }
        let spinner = threads.thread(named: "spinner-1")
        #expect(spinner?.frames.first?.function == "spin_on_hold", "\(describe(spinner))")
        let workers = threads.filter { $0.name?.hasPrefix("worker-") == true }
        #expect(workers.count == 7)
        for worker in workers {
            #expect(worker.callsInOrder(["worker_inner", "worker_middle", "worker_outer", "thread_main"]), "\(describe(worker))")
        }
        #expect(threads.thread(named: "sleeper")?.callsInOrder(["sleep_in_nanosleep", "thread_main"]) == true)
        #expect(threads.thread(named: "condwait")?.callsInOrder(["wait_on_condvar", "thread_main"]) == true)
        #expect(threads.thread(named: "reader")?.callsInOrder(["block_in_read", "thread_main"]) == true)
        #expect(threads.thread(tid: child.pid)?.callsInOrder(["park_main_thread", "main"]) == true)
    }

    @Test func cxxFixture() throws {
        let child = try startFixture("fixture-cxx")
        let threads = try GDBReference.backtraces(of: child.pid)
        #expect(TaskStates.untraced(child.pid), "\(TaskStates.of(child.pid))")
        #expect(threads.count == 6)

        let parker = threads.thread(named: "parker")
        #expect(parker?.frames.first?.function == "lwp::demo::Parker<int>::spin", "\(describe(parker))")

        let reader = threads.thread(named: "pipe-reader")
        #expect(reader?.callsInOrder(["lwp::io::read_one<char>", "lwp::io::drain_pipe"]) == true, "\(describe(reader))")
        #expect(reader?.physicalFrames.first?.function.map { FunctionNames.glibcPublicName($0) == "read" } == true, "\(describe(reader))")

        // std::condition_variable::wait tail-calls pthread_cond_wait, so the
        // lambda is pthread_cond_wait's caller. SwiftPM compiles C++ with the
        // toolchain's clang, whose DWARF calls the lambda `main::$_1::operator()`
        // (gcc's: `operator()`).
        let waiter = threads.thread(named: "cv-waiter")
        let waitIndex = waiter?.functionNames.firstIndex { $0.map { FunctionNames.glibcPublicName($0) == "pthread_cond_wait" } ?? false }
        let lambdaIndex = waiter?.functionNames.firstIndex { $0?.hasSuffix("operator()") == true }
        #expect(waitIndex != nil && lambdaIndex != nil && waitIndex! < lambdaIndex!, "\(describe(waiter))")

        // sleep_for is inlined into doze: gdb shows it as an inline frame.
        let dozer = try #require(threads.thread(named: "dozer"))
        let sleepFor = dozer.frames.first { $0.function?.hasPrefix("std::this_thread::sleep_for<") == true }
        #expect(sleepFor?.isInline == true, "\(describe(dozer))")
        #expect(dozer.physicalFrames.contains { $0.function == "lwp::demo::doze" && $0.inlined == [sleepFor?.function] })

        let chain = threads.thread(named: "chain")
        #expect(chain?.callsInOrder(["(anonymous namespace)::chain_inner", "lwp::demo::chain_outer"]) == true, "\(describe(chain))")
    }

    @Test func swiftFixture() throws {
        let child = try startFixture("fixture-swift")
        let threads = try GDBReference.backtraces(of: child.pid)
        #expect(TaskStates.untraced(child.pid), "\(TaskStates.of(child.pid))")
        #expect(threads.count == 4)

        // gdb does not demangle Swift: it prints the symbols.
        let spinner = threads.thread(named: "spinner")
        #expect(spinner?.frames.first?.function == "$s13fixture_swift10spinOnHoldyyF", "\(describe(spinner))")
        let sleeper = threads.thread(named: "sleeper")
        #expect(sleeper?.callsInOrder(["usleep", "$s13fixture_swift13sleepInUsleepyyF"]) == true, "\(describe(sleeper))")
        let reader = threads.thread(named: "reader")
        #expect(reader?.callsInOrder(["$s13fixture_swift11blockInReadyyF"]) == true, "\(describe(reader))")
        #expect(reader?.physicalFrames.first?.function.map { FunctionNames.glibcPublicName($0) == "read" } == true, "\(describe(reader))")

        // The names the fixture's functions have once demangled, by the toolchain's own tool.
        if let demangler = findExecutable("swift-demangle") {
            let result = try run(demangler, ["--compact", "$s13fixture_swift10spinOnHoldyyF", "$s13fixture_swift11blockInReadyyF"])
            #expect(result.stdout == "fixture_swift.spinOnHold() -> ()\nfixture_swift.blockInRead() -> ()\n")
        }
    }

    @Test(.enabled(if: Memcached.isAvailable, "/usr/bin/memcached is not installed (Debian package memcached)"))
    func memcachedWorkers() throws {
        let memcached = try Memcached.start(workerThreads: 6)
        let threads = try GDBReference.backtraces(of: memcached.pid)
        #expect(TaskStates.untraced(memcached.pid), "\(TaskStates.of(memcached.pid))")
        let workers = threads.filter { $0.name == "mc-worker" }
        #expect(workers.count == 6)
        // Debian's memcached is stripped: its own frames are `??`, libevent's are named.
        for worker in workers {
            #expect(worker.callsInOrder(["event_base_loop", "start_thread"]), "\(describe(worker))")
        }
    }
}
