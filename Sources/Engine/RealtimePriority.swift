import CPtrace

/// SCHED_FIFO for the engine thread while it sends interrupts and resumes.
///
/// Each PTRACE_INTERRUPT, PTRACE_CONT or PTRACE_DETACH wakes a target thread,
/// and a woken thread may preempt the engine before it reaches the next one:
/// at a thousand threads that doubled the time the target was stopped. A
/// real-time engine thread is never preempted by them. It drops back while
/// it waits, so the threads it waits for can run on its CPU. Refused
/// without CAP_SYS_NICE, and then simply not used.
enum RealtimePriority {
    static func during<T>(_ body: () throws -> T) rethrows -> T {
        let raised = raise()
        defer { lower(raised) }
        return try body()
    }

    /// True when the thread now runs real-time and must `lower` again.
    static func raise() -> Bool { lwp_set_realtime(1) == 0 }

    static func lower(_ raised: Bool) {
        if raised { _ = lwp_set_realtime(0) }
    }
}
