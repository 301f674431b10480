import ProcFS

/// Our own stops turn a thread's nanosleep, poll or timed futex wait into
/// restart_syscall (the kernel resumes it from a saved block, at the same pc
/// and sp, with the argument registers untouched). Remembering the call each
/// thread was in at the previous stop lets the next snapshot name the call
/// it still sits in, rather than the artifact of having stopped it.
struct InterruptedSyscalls {
    private struct Seen { var number: Int; var stackPointer: UInt64; var programCounter: UInt64 }
    private var seen: [Int32: Seen] = [:]

    /// The call `tid` is in, given what its registers say now.
    mutating func resolve(_ tid: Int32, _ syscall: ThreadSyscall) -> ThreadSyscall {
        guard case .inSyscall(let number, let arguments, let sp, let pc) = syscall else {
            seen[tid] = nil
            return syscall
        }
        if number == ThreadRegisters.restartSyscallNumber,
           let before = seen[tid], before.stackPointer == sp, before.programCounter == pc {
            return .inSyscall(number: before.number, arguments: arguments, stackPointer: sp, programCounter: pc)
        }
        seen[tid] = Seen(number: number, stackPointer: sp, programCounter: pc)
        return syscall
    }

    /// Forgets threads no longer traced.
    mutating func keepOnly(_ tids: Set<Int32>) {
        seen = seen.filter { tids.contains($0.key) }
    }
}
