import Backtraces
import Holds
import Inspector
import ProcFS
import Waits

/// The thread table's rows, joined from what one refresh read: the
/// backtraces, which flag holds whom, who is held at birth, CPU%, stack
/// groups and what each thread waits on. Pure: the same values give the same rows.
public enum ThreadRows {
    /// One row per backtrace, in the backtraces' order.
    /// - heldBy: from the hold survey; nil when there is none.
    /// - heldAtPoints: threads parked at hold points, with each one's location.
    /// - heldNotes: what HELD says of those in `heldAtBirth` (`HeldNotes`): exec, start, a signal, how long.
    /// - cpuPercent: a thread missing here (new since the last refresh) shows 0.
    /// - stackGroups: from `StackGroups.numbers`, when threads are grouped.
    /// - mainExecutable: the process's executable by its mapping's path, for
    ///   `CalledFunction`; nil treats every module as a library.
    /// - waits: the analysis of these threads, of process `pid`: WAITS ON,
    ///   the deadlock mark and where `f` goes.
    public static func make(
        _ threads: [ThreadBacktrace], heldBy: [Int32: HoldFlag] = [:], heldAtBirth: Set<Int32> = [],
        heldAtPoints: [Int32: String] = [:], heldNotes: [Int32: String] = [:], cpuPercent: [Int32: Double] = [:], stackGroups: [Int32: Int] = [:], mainExecutable: String? = nil,
        waits: WaitReport = WaitReport(), pid: Int32 = 0
    ) -> [ThreadRow] {
        // A chain that ends at a thread we hold says so ("… (held)").
        let held = Set((Array(heldBy.keys) + heldAtBirth + heldAtPoints.keys).map { ThreadRef(pid: pid, tid: $0) })
        let deadlocked = waits.deadlocked
        return threads.map { thread in
            var row = ThreadRow(
                tid: thread.tid, name: thread.name, state: thread.state.letter,
                cpuPercent: cpuPercent[thread.tid] ?? 0, wchan: WaitChannelLabel.shown(thread.waitChannel),
                function: CalledFunction.label(thread.frames, mainExecutable: mainExecutable),
                heldFlag: heldBy[thread.tid]?.displayName, heldAtBirth: heldAtBirth.contains(thread.tid),
                stackGroup: stackGroups[thread.tid], stackFunctions: thread.frames.map(\.text.label))
            row.heldPoint = heldAtPoints[thread.tid]
            row.heldNote = heldNotes[thread.tid]
            let wait = waits.wait(pid: pid, tid: thread.tid)
            row.waitsOn = wait?.label(held: held)
            row.deadlocked = deadlocked.contains(ThreadRef(pid: pid, tid: thread.tid))
            row.follow = wait?.followTarget.map { FollowTarget(pid: $0.pid, tid: $0.tid) }
            return row
        }
    }

    /// What the wait analysis is given for `threads` of `pid`: each one's
    /// system call as the snapshot read it before the stop, its name, and
    /// its frames' functions (a mutex wait shows in them).
    public static func waitInputs(
        _ threads: [ThreadBacktrace], pid: Int32, syscalls: [Int32: ThreadSyscall]
    ) -> [ThreadWaitInput] {
        threads.map { thread in
            ThreadWaitInput(pid: pid, tid: thread.tid, name: thread.name, syscall: syscalls[thread.tid],
                            frames: thread.frames.map(\.text.label))
        }
    }
}

extension StackGroups {
    /// A number per distinct stack, for `ThreadRow.stackGroup`: equal numbers,
    /// identical stacks; the largest group is 0.
    public static func numbers(_ threads: [ThreadBacktrace]) -> [Int32: Int] {
        var result: [Int32: Int] = [:]
        for (number, group) in group(threads).enumerated() {
            for thread in group.threads { result[thread.tid] = number }
        }
        return result
    }
}
