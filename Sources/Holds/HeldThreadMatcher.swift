import ELF

/// Decides which threads are parked on which flag, from their innermost frames.
///
/// The rule, per flag F in module M:
///   - frame 0 inside a function that references F: held on F;
///   - frame 0 elsewhere in M: not held on F (it runs other code of M);
///   - frame 0 outside M (a libc or vDSO helper the loop calls, like
///     `while (hold) sched_yield();`): the next frame decides the same way,
///     for up to `helperFrames` such frames.
/// Frames past 0 are return addresses, so they are looked up at pc - 1 (the
/// call instruction), which keeps a call at a function's very end inside it.
/// The default of one helper frame marks a thread sleeping in `sleep()` after
/// `while (hold);` ended as not held: sleep's own frames fill the budget.
/// When one function references several flags, the first flag in the order
/// given wins.
public struct HeldThreadMatcher: Sendable {
    public var flags: [HoldFlagReferences]
    /// How many innermost frames outside the flag's module to look past.
    public var helperFrames: Int

    public init(flags: [HoldFlagReferences], helperFrames: Int = 1) {
        self.flags = flags
        self.helperFrames = helperFrames
    }

    /// tid → the flag it is held on; threads held on nothing are absent.
    public func heldThreads(_ framesByThread: [Int32: [RuntimeAddress]]) -> [Int32: HoldFlag] {
        var held: [Int32: HoldFlag] = [:]
        for (tid, pcs) in framesByThread {
            if let flag = flag(holding: pcs) { held[tid] = flag }
        }
        return held
    }

    /// The flag a thread with these frame pcs (innermost first) is held on.
    public func flag(holding pcs: [RuntimeAddress]) -> HoldFlag? {
        flags.first { isHeld(pcs, on: $0) }?.flag
    }

    private func isHeld(_ pcs: [RuntimeAddress], on flag: HoldFlagReferences) -> Bool {
        for (index, pc) in pcs.prefix(helperFrames + 1).enumerated() {
            let address = index == 0 || pc == 0 ? pc : pc - 1
            if flag.functions.contains(where: { $0.range.contains(address) }) { return true }
            if flag.moduleCode.contains(where: { $0.contains(address) }) { return false }
        }
        return false
    }
}
