#if canImport(Glibc)
import Glibc
#endif

/// posix_spawn of the guardian: its end of the link as stdin, /dev/null (or
/// a log) as stdout and stderr, nothing else of ours (lwpscope holds ptrace
/// and pidfd descriptors, terminals, a test's pipes: a guardian that kept
/// one would keep it open, or a reader waiting for its EOF, long after
/// lwpscope), in a session of its own (a closed terminal or tmux
/// kill-server hangs up lwpscope's session, not the guardian's), with an
/// empty signal mask and default handlers whatever the spawning thread had.
enum GuardianSpawn {
    /// glibc's value; the Glibc module hides it behind _GNU_SOURCE.
    private static let setSessionFlag: Int32 = 0x80

    static func spawn(executable: String, arguments: [String], input: Int32, standardError: String) throws(GuardianError) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, input, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, standardError, O_WRONLY | O_APPEND | O_CREAT, 0o600)
        try closeEverythingElse(&actions)

        var child: pid_t = 0
        let rc = SpawnAttributes.with(flags: setSessionFlag) { attributes in
            SpawnAttributes.withArgv([executable] + arguments) { argv in
                posix_spawn(&child, executable, &actions, attributes, argv, environ)
            }
        }
        guard rc == 0 else { throw .cannotStart("posix_spawn \(executable): \(errorText(rc))") }
        return child
    }

    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    /// closefrom(3) in the child (glibc 2.34+), looked up at run time because
    /// the Glibc module does not declare it. Listing our descriptors and
    /// closing each instead would miss one another thread opens meanwhile.
    private static func closeEverythingElse(_ actions: inout posix_spawn_file_actions_t) throws(GuardianError) {
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else {
            throw .cannotStart("this C library has no posix_spawn_file_actions_addclosefrom_np; glibc 2.34 or later has it")
        }
        let addCloseFrom = unsafeBitCast(symbol, to: AddCloseFrom.self)
        let rc = addCloseFrom(&actions, 3)
        guard rc == 0 else { throw .cannotStart("posix_spawn_file_actions_addclosefrom_np: \(errorText(rc))") }
    }
}
