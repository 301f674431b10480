@testable import Inspector

/// The wait fixture pair as the controller would hand it over: the daemon
/// shown, its client attached too (the daemon is its child), and a second
/// process attached on its own; the daemon's threads each blocked somewhere,
/// two of them deadlocked on each other's mutex.
enum WaitFixtures {
    static let status = InspectorStatus(pid: 4300, command: "fixture-daemon", paused: false, interval: 1,
                                        stallMicroseconds: 140, holdingNew: false)

    static let tree: [ProcessTreeRow] = [
        ProcessTreeRow(pid: 900, parent: 1, command: "-bash", depth: 0, state: "S", isAncestor: true),
        ProcessTreeRow(pid: 4200, parent: 900, command: "fixture-client --dir /tmp/w1", depth: 1, traced: true,
                       state: "S", cpuPercent: 0),
        ProcessTreeRow(pid: 4300, parent: 4200, command: "fixture-daemon /tmp/w1", depth: 2, isCurrent: true,
                       traced: true, state: "S", cpuPercent: 0.5, heldThreads: 1),
        ProcessTreeRow(pid: 4310, parent: 4300, command: "fixture-daemon /tmp/w1", depth: 3, state: "S"),
        ProcessTreeRow(pid: 7310, parent: 1, command: "/usr/bin/memcached -t 6", depth: 0, traced: true, state: "S",
                       cpuPercent: 1.5),
    ]

    static func row(_ tid: Int32, _ name: String, _ state: Character = "S", wchan: String? = nil, function: String,
                    waitsOn: String?, follow: FollowTarget? = nil, deadlocked: Bool = false,
                    heldFlag: String? = nil) -> ThreadRow {
        var row = ThreadRow(tid: tid, name: name, state: state, wchan: wchan, function: function, heldFlag: heldFlag,
                            stackFunctions: [function, "start_thread"])
        row.waitsOn = waitsOn
        row.follow = follow
        row.deadlocked = deadlocked
        return row
    }

    static let threads: [ThreadRow] = [
        row(4300, "fixture-daemon", wchan: "do_wait", function: "waitpid", waitsOn: "wait4 child ← 4310 fixture-daemon",
            follow: FollowTarget(pid: 4310, tid: nil)),
        row(4301, "pipe-reader", wchan: "pipe_read", function: "read", waitsOn: "read pipe ← 4200 fixture-client",
            follow: FollowTarget(pid: 4200, tid: nil)),
        row(4302, "lock-a", wchan: "futex_wait_queue", function: "pthread_mutex_lock", waitsOn: "mutex ← 4303 lock-b",
            follow: FollowTarget(pid: 4300, tid: 4303), deadlocked: true),
        row(4303, "lock-b", wchan: "futex_wait_queue", function: "pthread_mutex_lock", waitsOn: "mutex ← 4302 lock-a",
            follow: FollowTarget(pid: 4300, tid: 4302), deadlocked: true),
        row(4304, "held-worker", "R", function: "held_worker", waitsOn: nil, heldFlag: "hold (in held_worker)"),
        row(4305, "mutex-waiter", wchan: "futex_wait_queue", function: "pthread_mutex_lock",
            waitsOn: "mutex ← 4304 held-worker (held)", follow: FollowTarget(pid: 4300, tid: 4304)),
        row(4306, "cond-waiter", wchan: "futex_wait_queue", function: "pthread_cond_wait", waitsOn: "futex condvar"),
    ]

    static func state(capabilities: Capabilities = Capabilities(), selecting tid: Int32? = nil) -> InspectorState {
        var state = InspectorState(capabilities: capabilities, attached: status)
        state.setProcessTree(tree)
        state.setThreads(threads)
        if let tid { state.selectThread(tid) }
        return state
    }
}
