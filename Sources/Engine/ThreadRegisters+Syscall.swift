import ProcFS

extension ThreadRegisters {
    /// What /proc/TID/syscall would say of this stopped thread. The kernel
    /// prints that file from these very registers (the syscall number is
    /// orig_rax, negative outside a call; the arguments are rdi, rsi, rdx,
    /// r10, r8, r9), so a snapshot that holds them need not open the file
    /// once per thread.
    /// - wasRunning: /proc said the thread ran just before the stop; the file
    ///   says `running` of such a thread, whatever it was doing, and so do we.
    public func syscall(wasRunning: Bool) -> ThreadSyscall {
        if wasRunning { return .running }
        let number = Int64(bitPattern: raw.orig_rax)
        guard number >= 0 else { return .blockedOutsideSyscall(stackPointer: sp, programCounter: pc) }
        return .inSyscall(
            number: Int(number), arguments: [raw.rdi, raw.rsi, raw.rdx, raw.r10, raw.r8, raw.r9],
            stackPointer: sp, programCounter: pc)
    }

    /// restart_syscall on x86_64: what a sleep, a poll or a futex wait with
    /// a timeout becomes once a stop has interrupted it.
    static let restartSyscallNumber = 219
}
