/// System call names for the machine lwpscope runs on. The numbers are the
/// architecture's (`X86_64SyscallTable`); what the arguments mean is decoded
/// by name (`BlockingCall`), so another architecture needs only its table.
public enum SyscallNames {
    /// "read", "futex"; "syscall N" for a number the table does not know.
    public static func name(_ number: Int) -> String {
        known(number) ?? "syscall \(number)"
    }

    static func known(_ number: Int) -> String? {
        #if arch(x86_64)
        X86_64SyscallTable.names[number]
        #else
        nil
        #endif
    }
}
