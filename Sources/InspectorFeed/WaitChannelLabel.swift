/// WCHAN as the thread table shows it. Some kernels name only the syscall
/// entry path for a thread asleep in a syscall (`do_syscall_64`, for a
/// nanosleep): that says nothing the FUNCTION column does not, so it shows
/// as nothing.
public enum WaitChannelLabel {
    public static func shown(_ waitChannel: String?) -> String? {
        guard let waitChannel, !isSyscallEntry(waitChannel) else { return nil }
        return waitChannel
    }

    /// The x86_64 (and 32-bit compat) syscall entry and dispatch functions.
    static func isSyscallEntry(_ name: String) -> Bool {
        ["do_syscall_64", "x64_sys_call", "do_fast_syscall_32", "do_int80_syscall_32"].contains(name)
            || name.hasPrefix("entry_SYSCALL_64") || name.hasPrefix("entry_SYSCALL_compat")
            || name.hasPrefix("entry_INT80")
    }
}
