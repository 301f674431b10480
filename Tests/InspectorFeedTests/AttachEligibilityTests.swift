import Engine
import Foundation
import Inspector
import InspectorFeed
import ProcFS
import Testing

/// One rule for the picker's dimmed rows and the engine's preflight.
@Suite struct AttachEligibilityTests {
    let user = Attacher(pid: 5001, userID: 1000, mayTraceAnyUser: false)
    let userWithCapability = Attacher(pid: 5001, userID: 1000, mayTraceAnyUser: true)

    @Test func aPlainUsersOwnProcessIsFineAnotherUsersIsNot() {
        #expect(AttachEligibility.refusal(of: AttachTarget(pid: 42, ownerID: 1000), by: user) == nil)
        #expect(AttachEligibility.refusal(of: AttachTarget(pid: 42, ownerID: 0), by: user) == .otherUser(ownerID: 0))
    }

    @Test func aNonRootUserWithCapSysPtraceMayAttachToAnyUsersProcess() {
        #expect(AttachEligibility.refusal(of: AttachTarget(pid: 42, ownerID: 0), by: userWithCapability) == nil)
        #expect(AttachEligibility.refusal(of: AttachTarget(pid: 42, ownerID: 33), by: userWithCapability) == nil)
    }

    @Test func rootWithoutTheCapabilityIsJustAnotherUser() {
        let confinedRoot = Attacher(pid: 5001, userID: 0, mayTraceAnyUser: false)
        #expect(AttachEligibility.refusal(of: AttachTarget(pid: 42, ownerID: 1000), by: confinedRoot)
            == .otherUser(ownerID: 1000))
    }

    @Test func noCapabilityGetsPastTheOtherRefusalsInTheirOrder() {
        let us = userWithCapability
        #expect(AttachEligibility.refusal(of: AttachTarget(pid: 5001, ownerID: 1000), by: us) == .ownProcess)
        #expect(AttachEligibility.refusal(of: AttachTarget(pid: 2, isKernelThread: true, ownerID: 0), by: us)
            == .kernelThread)
        #expect(AttachEligibility.refusal(of: AttachTarget(pid: 42, hasExited: true, ownerID: 1000, tracer: 77), by: us)
            == .exited)
        #expect(AttachEligibility.refusal(of: AttachTarget(pid: 42, ownerID: 0, tracer: 77), by: us)
            == .alreadyTraced(tracer: 77))
    }

    @Test func pickerRowsAreDimmedByTheRuleWithTheirReason() {
        let listing = [
            Values.process(2, parent: 0, command: "[kthreadd]", user: (0, "root"), kernel: true),
            Values.process(4260, parent: 4242, command: "[helper] <defunct>", state: .zombie),
            // A leader that called pthread_exit: a zombie whose threads run on.
            Values.process(4270, parent: 4242, command: "./server --detached", state: .zombie, threads: 3),
            Values.process(5001, parent: 900, command: "lwpscope"),
            Values.process(7310, parent: 1, command: "memcached", user: (110, "memcache")),
            Values.process(7400, parent: 1, command: "./traced", tracer: 7401),
            Values.process(4242, parent: 900, command: "./server"),
        ]
        // TracerPid 7401 is a thread of gdb, pid 7390.
        let rows = PickerRows.make(listing, attacher: user) { $0 == 7401 ? ProcessName(pid: 7390, command: "gdb") : nil }
        func why(_ pid: Int32) -> String? { rows.first { $0.pid == pid }!.whyNot }
        #expect(why(2) == "pid 2 is a kernel thread: it has no user-space threads")
        #expect(why(4260) == "pid 4260 is a zombie: it has exited")
        #expect(why(4270) == nil)
        #expect(why(5001) == "that is lwpscope itself")
        #expect(why(7310) == "pid 7310 belongs to memcache: ptrace needs the same user or CAP_SYS_PTRACE")
        #expect(why(7400) == "pid 7400 is already traced by pid 7390 (gdb)")
        #expect(rows.first { $0.pid == 7400 }!.tracer == "7390 gdb")
        #expect(rows.filter { $0.tracer != nil }.map(\.pid) == [7400])
        #expect(why(4242) == nil)
        #expect(rows.filter(\.attachable).map(\.pid) == [4270, 4242])

        let capable = PickerRows.make(listing, attacher: userWithCapability) { _ in nil }
        #expect(capable.filter(\.attachable).map(\.pid) == [4270, 7310, 4242])
    }

    @Test func pickerRowsCarryTheListing() {
        let row = PickerRows.make([Values.process(4242, parent: 900, command: "./server", threads: 8)], attacher: user)[0]
        #expect(row == PickerRow(pid: 4242, ppid: 900, user: "dev", threads: 8, state: "S", cpuPercent: 0, rssKiB: 1024,
                                 command: "./server"))
    }

    @Test func capSysPtraceIsBit19OfCapEff() {
        let status = "Name:\tlwpscope\nCapInh:\t0000000000000000\nCapPrm:\t0000000000080000\nCapEff:\t0000000000080000\n"
        #expect(OwnCapabilities.effective(statusText: status).contains(.sysPtrace))
        // Bits 17 and 19 (CAP_SYS_CHROOT, CAP_SYS_PTRACE); then 18 alone (CAP_SYS_PACCT).
        #expect(OwnCapabilities.effective(statusText: "CapEff:\t00000000000a0000").contains(.sysPtrace))
        #expect(!OwnCapabilities.effective(statusText: "CapEff:\t0000000000040000").contains(.sysPtrace))
        #expect(OwnCapabilities.effective(statusText: "CapPrm:\t000001ffffffffff\n").isEmpty)
    }

    @Test func ourOwnCapabilitiesAreWhatProcSelfStatusSays() throws {
        let text = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        let capEff = text.split(separator: "\n").filter { $0.hasPrefix("CapEff:") }.map { $0.split(separator: "\t").last! }
        let bits = try #require(capEff.first.flatMap { UInt64($0, radix: 16) })
        #expect(OwnCapabilities.effective().rawValue == bits)
        #expect(Attacher.current().mayTraceAnyUser == (bits & (1 << 19) != 0))
        #expect(Attacher.current().userID == getuid())
    }
}
