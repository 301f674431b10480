import Engine
import Inspector
import InspectorFeed
import ProcFS
import Testing

/// Several processes attached in one session: pane 1 shows each once, and
/// one ending leaves the others.
@Suite struct SeveralProcessesTests {
    /// init ─┬─ bash ─┬─ client ─ daemon ─ daemon's child
    ///       │        └─ other
    ///       └─ sshd ─ shell ─ far
    let listing = [
        Values.process(1, parent: 0, command: "/sbin/init"),
        Values.process(900, parent: 1, command: "-bash"),
        Values.process(4200, parent: 900, command: "fixture-client"),
        Values.process(4300, parent: 4200, command: "fixture-daemon"),
        Values.process(4310, parent: 4300, command: "fixture-daemon"),
        Values.process(4400, parent: 900, command: "other"),
        Values.process(600, parent: 1, command: "sshd"),
        Values.process(610, parent: 600, command: "-zsh"),
        Values.process(620, parent: 610, command: "far"),
    ]

    @Test func twoRootsEachWithTheirRelativesAndEveryProcessOnce() {
        let rows = ProcessTreeRows.make(
            ProcessTree(listing), roots: [4200, 620], current: 620, traced: [4200, 620])
        #expect(rows.map(\.pid) == [1, 900, 4200, 4300, 4310, 600, 610, 620])
        #expect(rows.map(\.depth) == [0, 1, 2, 3, 4, 0, 1, 2])
        #expect(rows.map(\.isAncestor) == [true, true, false, false, false, true, true, false])
        #expect(rows.filter(\.traced).map(\.pid) == [4200, 620])
        #expect(rows.filter(\.isCurrent).map(\.pid) == [620])
    }

    /// The daemon was attached after its parent, the client: it is shown
    /// in the client's subtree, not again as a root of its own.
    @Test func aRootInsideAnothersSubtreeIsNotRepeated() {
        for roots: [Int32] in [[4200, 4300], [4300, 4200]] {
            let rows = ProcessTreeRows.make(
                ProcessTree(listing), roots: roots, current: 4300, traced: [4200, 4300])
            #expect(rows.map(\.pid) == [1, 900, 4200, 4300, 4310], "\(roots)")
            #expect(rows.filter(\.traced).map(\.pid) == [4200, 4300])
            #expect(rows.first { $0.pid == 4300 }?.isCurrent == true)
        }
    }

    /// A sibling of an attached process: its parent is shown already, so it
    /// starts a tree of its own at depth 0.
    @Test func aSharedParentIsShownOnce() {
        let rows = ProcessTreeRows.make(ProcessTree(listing), roots: [4200, 4400], current: 4200, traced: [4200, 4400])
        #expect(rows.map(\.pid) == [1, 900, 4200, 4300, 4310, 4400])
        #expect(rows.last?.depth == 0 && rows.last?.isAncestor == false && rows.last?.traced == true)
    }

    @Test func addingKeepsTheShownProcessAndAttachingShowsTheNewOne() {
        var watched = WatchedProcesses()
        watched.attach(4200)
        watched.add(620)
        #expect(watched.roots == [4200, 620] && watched.current == 4200)
        watched.attach(4400)
        #expect(watched.roots == [4200, 620, 4400] && watched.current == 4400)
        watched.attach(4200)
        #expect(watched.roots == [4200, 620, 4400], "attached once")
        let rows = watched.treeRows(traced: [4200, 620, 4400], heldAtBirth: [], now: 1) { listing }
        // In the order attached; 4400's parent, bash, is shown already.
        #expect(rows.map(\.pid) == [1, 900, 4200, 4300, 4310, 600, 610, 620, 4400])
    }

    @Test func aRootEndingLeavesTheOthersAndTheLastOneEndsTheSession() {
        var watched = WatchedProcesses()
        watched.attach(4200)
        watched.attach(620)
        #expect(watched.react(to: .processExited(pid: 620, status: .exited(code: 0)))
            == .rootGone(pid: 620, message: "pid 620 exited with status 0"))
        #expect(watched.roots == [4200] && watched.current == 4200, "the shown one gone: back to one left")
        #expect(watched.react(to: .processExited(pid: 4200, status: .killed(signal: 9)))
            == .targetGone(pid: 4200, message: "pid 4200 was killed by signal 9 (SIGKILL)"))
        #expect(watched.roots.isEmpty && watched.current == nil)
    }

    @Test func removingTheShownProcessShowsTheAttachedOneShownLast() {
        var watched = WatchedProcesses()
        watched.attach(4200)
        watched.attach(620)
        watched.add(4400)
        watched.show(4310)
        // A followed child detached: back to the process it was reached from.
        #expect(watched.remove(4310) == 620)
        #expect(watched.remove(620) == 4200)
        #expect(watched.remove(4200) == 4400)
        #expect(watched.remove(4400) == nil)
    }

    @Test func anotherRootEndingLeavesTheShownProcessShown() {
        var watched = WatchedProcesses()
        watched.attach(4200)
        watched.add(620)
        #expect(watched.react(to: .processExited(pid: 620, status: .exited(code: 1)))
            == .rootGone(pid: 620, message: "pid 620 exited with status 1"))
        #expect(watched.current == 4200)
        let rows = watched.treeRows(traced: [4200], heldAtBirth: [], now: 1) { listing }
        #expect(!rows.contains { $0.pid == 620 })
    }
}
