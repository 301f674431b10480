import Guardian

/// How every command that sets hold points starts its guardian: lwpscope
/// itself again (`_guardian`), as a process of its own that outlives us.
/// The engine calls it on its own thread, whose end the guardian watches.
enum GuardianLaunch {
    static func ourselves() throws(GuardianError) -> GuardianLink {
        try GuardianLink.start(executable: "/proc/self/exe", arguments: ["_guardian", "--parent-thread"])
    }
}
