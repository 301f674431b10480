import Backtraces
import Holds
import Inspector

/// The thread table's rows, joined from what one refresh read: the
/// backtraces, which flag holds whom, who is held at birth, CPU% and stack
/// groups. Pure: the same values give the same rows.
public enum ThreadRows {
    /// One row per backtrace, in the backtraces' order.
    /// - heldBy: from the hold survey; nil when there is none.
    /// - cpuPercent: a thread missing here (new since the last refresh) shows 0.
    /// - stackGroups: from `StackGroups.numbers`, when threads are grouped.
    /// - mainExecutable: the process's executable by its mapping's path, for
    ///   `CalledFunction`; nil treats every module as a library.
    public static func make(
        _ threads: [ThreadBacktrace], heldBy: [Int32: HoldFlag] = [:], heldAtBirth: Set<Int32> = [],
        cpuPercent: [Int32: Double] = [:], stackGroups: [Int32: Int] = [:], mainExecutable: String? = nil
    ) -> [ThreadRow] {
        threads.map { thread in
            ThreadRow(
                tid: thread.tid, name: thread.name, state: thread.state.letter,
                cpuPercent: cpuPercent[thread.tid] ?? 0, wchan: WaitChannelLabel.shown(thread.waitChannel),
                function: CalledFunction.label(thread.frames, mainExecutable: mainExecutable),
                heldFlag: heldBy[thread.tid]?.displayName, heldAtBirth: heldAtBirth.contains(thread.tid),
                stackGroup: stackGroups[thread.tid], stackFunctions: thread.frames.map(\.text.label))
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
