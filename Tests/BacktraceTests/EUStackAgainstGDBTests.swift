import Testing
import TestSupport

/// The yardstick on a real second unwinder: eu-stack's backtraces, put in our
/// JSON's shape, measured against gdb's. This checks the measuring (the
/// alignment, the inline folding, the glibc aliases) on live processes before
/// it measures lwpscope.
@Suite(
    .timeLimit(.minutes(8)),
    .enabled(if: GDBReference.isAvailable, "gdb is not installed"),
    .enabled(if: EUStackReference.isAvailable, "eu-stack is not installed (Debian package elfutils)")
)
struct EUStackAgainstGDBTests {
    static func asDump(_ threads: [EUStackReference.Thread]) -> [DumpThread] {
        threads.map { thread in
            DumpThread(tid: thread.tid, frames: thread.frames.map {
                DumpFrame(index: $0.index, pc: $0.pc, module: $0.module, function: $0.function)
            })
        }
    }

    @Test(arguments: ["fixture-threads-nofp", "fixture-threads-fp", "fixture-cxx"])
    func agreement(fixture: String) throws {
        let child = try startFixture(fixture)
        let gdb = try GDBReference.backtraces(of: child.pid)
        #expect(TaskStates.untraced(child.pid))
        let euStack = try EUStackReference.backtraces(of: child.pid)
        #expect(TaskStates.untraced(child.pid))
        let report = BacktraceAgreement.compare(ours: Self.asDump(euStack), gdb: gdb, evidence: .live(pid: child.pid))
        #expect(report.missingThreads.isEmpty && report.extraThreads.isEmpty, "\(report)")
        // eu-stack 0.188 loses one frame per pthread_cond_wait (the return
        // into __futex_abstimed_wait_cancelable64), which is all it misses here.
        #expect(report.frames.percentage >= 90, "\(report)")
        #expect(report.names.percentage >= 90, "\(report)")
        print("eu-stack against gdb on \(fixture): \(report)")
    }

    @Test(.enabled(if: Memcached.isAvailable, "/usr/bin/memcached is not installed (Debian package memcached)"))
    func memcached() throws {
        let memcached = try Memcached.start(workerThreads: 6)
        let gdb = try GDBReference.backtraces(of: memcached.pid)
        let euStack = try EUStackReference.backtraces(of: memcached.pid)
        #expect(TaskStates.untraced(memcached.pid))
        let report = BacktraceAgreement.compare(ours: Self.asDump(euStack), gdb: gdb, evidence: .live(pid: memcached.pid))
        #expect(report.missingThreads.isEmpty, "\(report)")
        #expect(report.frames.percentage >= 90, "\(report)")
        print("eu-stack against gdb on memcached: \(report)")
    }
}
