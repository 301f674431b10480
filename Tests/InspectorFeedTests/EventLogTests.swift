@testable import Engine
import Holds
import Inspector
import InspectorFeed
import Testing

/// What the engine's events and a row's release say in the log and on the status line.
@Suite struct EventLogTests {
    let names = EventLogNames(
        commands: [4242: "./server --port 80", 4250: "/bin/sh -c date"], threads: [4243: "reader", 4251: "server"])

    func entry(_ event: EngineEvent) -> EventLogEntry? {
        EventLogEntries.entry(for: event, at: "14:03:27", names: names)
    }

    @Test func processEventsNameTheCommands() {
        #expect(entry(.processForked(parent: 4242, child: 4250))
            == EventLogEntry(time: "14:03:27", kind: .process,
                             text: "pid 4242 (server) forked child pid 4250 (sh)"))
        #expect(entry(.processExecuted(pid: 4250))?.text == "pid 4250 ran exec: now `/bin/sh -c date`")
        #expect(entry(.processExecuted(pid: 9))?.text == "pid 9 ran exec: now an unknown command")
        let exited = entry(.processExited(pid: 4250, status: .exited(code: 0)))
        #expect(exited?.text == "pid 4250 exited with status 0" && exited?.severity == .info)
        let killed = entry(.processExited(pid: 4250, status: .killed(signal: 9)))
        #expect(killed?.text == "pid 4250 was killed by signal 9 (SIGKILL)" && killed?.severity == .warning)
    }

    @Test func threadsBornHeldAndSignalled() {
        #expect(entry(.threadCreated(pid: 4242, tid: 4251))
            == EventLogEntry(time: "14:03:27", kind: .thread, text: "thread 4251 born in pid 4242 (server)"))
        #expect(entry(.threadExited(pid: 4242, tid: 4251)) == nil, "a pool's churn would bury the rest")
        let thread = entry(.heldAtBirth(pid: 4242, tid: 4251))
        #expect(thread == EventLogEntry(time: "14:03:27", kind: .hold, text: "thread 4251 server of pid 4242 held at birth",
                                        severity: .warning))
        #expect(entry(.heldAtBirth(pid: 4250, tid: 4250))?.text == "child 4250 (sh) held at birth")
        #expect(entry(.signalPassedOn(pid: 4242, tid: 4243, signal: 12))
            == EventLogEntry(time: "14:03:27", kind: .signal, text: "SIGUSR2 passed on to thread 4243 reader of pid 4242"))
        #expect(entry(.signalPassedOn(pid: 4242, tid: 4244, signal: 40))?.text
            == "signal 40 passed on to thread 4244 of pid 4242")
    }

    @Test func namesReadAreOnlyThoseShown() {
        #expect(EventLogNames.wanted(by: .processForked(parent: 1, child: 2)).processes == [1, 2])
        #expect(EventLogNames.wanted(by: .threadCreated(pid: 1, tid: 2)).threads.isEmpty)
        #expect(EventLogNames.wanted(by: .heldAtBirth(pid: 1, tid: 2)).threads.map(\.tid) == [2])
        #expect(EventLogNames.wanted(by: .heldAtBirth(pid: 2, tid: 2)).threads.isEmpty)
        #expect(EventLogNames.wanted(by: .signalPassedOn(pid: 1, tid: 3, signal: 12)).threads.map(\.tid) == [3])
    }

    @Test func aHeldBirthIsAnnouncedWithHowToReleaseIt() {
        let thread = EventLogEntries.heldAtBirthAnnouncement([(4242, 4251)], shownPID: 4242, names: names)
        #expect(thread == StatusMessage("thread 4251 server of pid 4242 held at birth: select it and press r to release",
                                        severity: .warning))
        let child = EventLogEntries.heldAtBirthAnnouncement([(4250, 4250)], shownPID: 4242, names: names)
        #expect(child?.text == "child 4250 (sh) held at birth: show pid 4250 (pane 1, Enter), "
            + "select it and press r to release")
        let both = EventLogEntries.heldAtBirthAnnouncement([(4250, 4250), (4242, 4251)], shownPID: 4242, names: names)
        #expect(both?.text == "2 held at birth (4250 4251): select one and press r to release it")
        #expect(EventLogEntries.heldAtBirthAnnouncement([], shownPID: 4242, names: names) == nil)
    }

    @Test func releasingAGroupSaysWhichWentAndWhichDidNot() {
        let one = ReleaseSummary.message(released: [.heldAtBirth(tid: 101)], failed: [])
        #expect(one == StatusMessage("released thread 101, held at birth"))
        let all = ReleaseSummary.message(
            released: [.heldAtBirth(tid: 101), .heldAtBirth(tid: 102), .heldAtBirth(tid: 103)], failed: [])
        #expect(all == StatusMessage("released 3 threads of the group: 101 102 103"))
        let some = ReleaseSummary.message(
            released: [.heldAtBirth(tid: 101)], failed: [(102, .notHeld(tid: 102, pid: 100))])
        #expect(some.severity == .warning)
        #expect(some.text == "released 1 of the group's 2 threads (101); 102: "
            + HoldActionError.notHeld(tid: 102, pid: 100).description)
        let none = ReleaseSummary.message(
            released: [], failed: [(102, .hold(.threadNotStopped(tid: 102))), (103, .notHeld(tid: 103, pid: 100))])
        #expect(none.severity == .error)
        #expect(none.text.hasPrefix("released none of the group's 2 threads; 102: thread 102 could not be stopped"))
        let notHeld = ReleaseSummary.message(released: [], failed: [(102, .notHeld(tid: 102, pid: 100))])
        #expect(notHeld == StatusMessage(HoldActionError.notHeld(tid: 102, pid: 100).description, severity: .warning))
    }
}
