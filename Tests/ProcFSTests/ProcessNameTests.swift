import Foundation
import Testing
import ProcFS
#if canImport(Glibc)
import Glibc
#endif

/// TracerPid names a thread; users know its process. On this very process.
@Suite struct ProcessNameTests {
    @Test func aThreadIsNamedByItsProcessIDAndCommand() throws {
        let procfs = ProcFS()
        // A thread of our own that is not the main one: what a tracer's engine thread is.
        let done = DispatchSemaphore(value: 0)
        Thread { done.wait() }.start()
        defer { done.signal() }
        let tid = try #require(procfs.threadIDs(getpid())?.first { $0 != getpid() })
        let named = try #require(procfs.process(ofThread: tid))
        #expect(named.pid == getpid())
        let argv0 = try #require(procfs.commandLine(getpid())?.first)
        #expect(named.command == String(argv0.split(separator: "/").last!))
        #expect(named.description == "\(getpid()) \(named.command)")
        #expect(procfs.process(ofThread: Int32.max) == nil)
    }

    @Test func theListingCarriesEachProcesssCPUTicks() throws {
        let procfs = ProcFS()
        let ours = try #require(procfs.processListing().first { $0.pid == getpid() })
        let stat = try #require(procfs.stat(getpid()))
        // Ours only grow: the listing's ticks are at most the later stat's.
        #expect(ours.cpuTicks <= stat.userTicks + stat.systemTicks)
        #expect(ours.cpuTicks + 100 >= stat.userTicks + stat.systemTicks)
    }
}
