import Engine
import Inspector
import InspectorFeed
import ProcFS
import Testing

@Suite struct ProcessTreeTests {
    /// init ─ bash ─ server ─┬─ child ─ grandchild
    ///                       └─ helper (exited)
    let listing = [
        Values.process(1, parent: 0, command: "/sbin/init"),
        Values.process(900, parent: 1, command: "-bash"),
        Values.process(4242, parent: 900, command: "./server"),
        Values.process(4250, parent: 4242, command: "./server --child"),
        Values.process(4260, parent: 4250, command: "./server --grandchild"),
        Values.process(4251, parent: 4242, command: "./server --helper"),
        Values.process(7000, parent: 1, command: "unrelated"),
    ]

    @Test func ancestorsFromTheTopThenTheProcessAndItsDescendantsDepthFirst() {
        let rows = ProcessTreeRows.make(
            ProcessTree(listing), root: 4242, current: 4250, traced: [900, 4242, 4250], heldAtBirth: [4260],
            exited: [4251: "exited with status 0"])
        #expect(rows.map(\.pid) == [1, 900, 4242, 4250, 4260, 4251])
        #expect(rows.map(\.depth) == [0, 1, 2, 3, 4, 3])
        #expect(rows.map(\.parent) == [0, 1, 900, 4242, 4250, 4242])
        #expect(rows[3].command == "./server --child")
        #expect(rows.filter(\.isCurrent).map(\.pid) == [4250])
        // Ancestors are context only: never marked, even when traced.
        #expect(rows.filter(\.traced).map(\.pid) == [4242, 4250])
        #expect(rows.filter(\.heldAtBirth).map(\.pid) == [4260])
        #expect(rows[5].exited == "exited with status 0")
    }

    /// A deep chain (init, a session manager, terminals, shells) keeps only
    /// the parent and grandparent, so the attached process stays near the left.
    @Test func onlyTheNearestAncestorsAreShown() {
        var deep: [ProcessSummary] = []
        for level in Int32(0)..<8 {
            deep.append(Values.process(100 + level, parent: level == 0 ? 0 : 99 + level, command: "level\(level)"))
        }
        deep += [Values.process(500, parent: 107, command: "./server"),
                            Values.process(501, parent: 500, command: "./server --child")]
        let rows = ProcessTreeRows.make(ProcessTree(deep), root: 500, current: 500, traced: [500])
        #expect(rows.map(\.pid) == [106, 107, 500, 501])
        #expect(rows.map(\.depth) == [0, 1, 2, 3])
    }

    @Test func theTreeIsReadAgainOnlyWhenStaleOrInvalidated() {
        var cache = ProcessTreeCache()
        var reads = 0
        func read() -> ProcessTree {
            reads += 1
            return ProcessTree(listing)
        }
        _ = cache.tree(now: 100, read: read)
        _ = cache.tree(now: 100 + ProcessTreeCache.lifetime, read: read)
        #expect(reads == 1)
        _ = cache.tree(now: 100 + ProcessTreeCache.lifetime + 0.1, read: read)
        #expect(reads == 2)
        cache.invalidate()
        _ = cache.tree(now: 106, read: read)
        #expect(reads == 3)
    }

    @Test func eventsSayWhatToDoAndForksReadTheTreeAgain() {
        var watched = WatchedProcesses()
        watched.attach(4242)
        var reads = 0
        func rows() -> [ProcessTreeRow] {
            watched.treeRows(traced: [4242], heldAtBirth: [], now: 1) {
                reads += 1
                return listing
            }
        }
        _ = rows()
        #expect(watched.react(to: .threadCreated(pid: 4242, tid: 4299)) == .refreshSoon)
        #expect(watched.react(to: .threadExited(pid: 4242, tid: 4299)) == .none)
        _ = rows()
        #expect(reads == 1)
        #expect(watched.react(to: .processForked(parent: 4242, child: 4250)) == .refreshSoon)
        _ = rows()
        #expect(reads == 2)
        #expect(watched.react(to: .processExecuted(pid: 4250)) == .refreshSoon)
        _ = rows()
        #expect(reads == 3)
    }

    @Test func theShownChildEndingGoesBackToTheAttachedProcess() {
        var watched = WatchedProcesses()
        watched.attach(4242)
        watched.show(4250)
        #expect(watched.react(to: .processExited(pid: 4250, status: .killed(signal: 9))) == .refreshNow)
        #expect(watched.current == 4242)
        #expect(watched.exited[4250] == "was killed by signal 9 (SIGKILL)")
        // Another traced child ending changes nothing but its row.
        #expect(watched.react(to: .processExited(pid: 4251, status: .exited(code: 0))) == .none)
        let rows = watched.treeRows(traced: [4242], heldAtBirth: [], now: 1) { listing }
        #expect(rows.first { $0.pid == 4251 }?.exited == "exited with status 0")
    }

    @Test func theAttachedProcessEndingIsTheTargetGone() {
        var watched = WatchedProcesses()
        watched.attach(4242)
        #expect(watched.react(to: .processExited(pid: 4242, status: .exited(code: 3)))
            == .targetGone(pid: 4242, message: "pid 4242 exited with status 3"))
        watched.detach()
        #expect(watched.current == nil)
        #expect(watched.treeRows(traced: [], heldAtBirth: [], now: 1) { listing }.isEmpty)
    }
}
