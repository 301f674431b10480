#if canImport(Glibc)
import Glibc
#endif

/// The guardian process's whole job (`lwpscope _guardian`): keep the table
/// of patches lwpscope reports, and when its link ends without `bye`,
/// lwpscope is gone however it went (SIGKILL included), so write every
/// original back: the patches at once, the scratch ranges after
/// `scratchDelay` (a thread the kernel resumed when lwpscope's ptrace
/// ended may still be inside its displaced copy).
///
/// Writes nothing but one stderr line per range it could not restore.
/// No Foundation: it starts with every patch and must start fast.
public enum GuardianService {
    /// Returns the exit status: 0 after `bye` or when everything was
    /// restored or left alone for cause, 1 when some range could not be
    /// restored.
    /// - watchParentThread: also restore as soon as the thread that started
    ///   us exits (see `ParentThreadWatch`): lwpscope starts us from its
    ///   engine thread, whose end lets the tracees go.
    public static func run(input: Int32, watchParentThread: Bool = false) -> Int32 {
        run(input: input, scratchDelayNanoseconds: 1_000_000_000, watchParentThread: watchParentThread)
    }

    static func run(input: Int32, scratchDelayNanoseconds: Int, watchParentThread: Bool = false) -> Int32 {
        prepareProcess()
        let parentGone = watchParentThread ? ParentThreadWatch.start() : nil
        var table = GuardianTable()
        var reader = RecordLineReader(descriptor: input)
        while waitForInput(input, or: parentGone), let records = reader.nextRecords() {
            for record in records {
                table.apply(record)
                if table.saidBye { return 0 }
            }
        }
        var failures = restore(table.patches)
        if !table.scratches.isEmpty {
            sleep(nanoseconds: scratchDelayNanoseconds)
            failures += restore(table.scratches)
        }
        return failures == 0 ? 0 : 1
    }

    /// False when the parent thread is gone (or polling fails): time to restore.
    private static func waitForInput(_ input: Int32, or parentGone: Int32?) -> Bool {
        guard let parentGone else { return true }
        var fds = [pollfd(fd: input, events: Int16(POLLIN), revents: 0), pollfd(fd: parentGone, events: Int16(POLLIN), revents: 0)]
        while true {
            let ready = poll(&fds, 2, -1)
            if ready < 0, errno == EINTR { continue }
            guard ready > 0 else { return false }
            // Records already sent still count: read them before restoring.
            if fds[1].revents != 0 { return fds[0].revents & Int16(POLLIN) != 0 }
            return true
        }
    }

    /// Signals that would end it early are ignored: it must finish its
    /// restores. A real-time priority, if allowed, lets it run the moment
    /// lwpscope dies rather than after the target's threads reach a trap
    /// (it applies to the calling thread, the one that reads and restores:
    /// under lwpscope's async main that is a worker, not the main thread).
    private static func prepareProcess() {
        for signal in [SIGHUP, SIGINT, SIGTERM, SIGPIPE, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU] {
            _ = Glibc.signal(signal, SIG_IGN)
        }
        var parameters = sched_param(sched_priority: sched_get_priority_max(SCHED_FIFO))
        _ = sched_setscheduler(0, SCHED_FIFO, &parameters)
        // Hold no directory busy (an unmount must not wait for us).
        _ = chdir("/")
    }

    /// Returns how many ranges failed; reports each on stderr.
    private static func restore(_ entries: [GuardianTable.PatchKey: PatchEntry]) -> Int {
        var failures = 0
        for (pid, group) in GuardianTable.byProcess(entries) {
            for (entry, outcome) in zip(group, CodeRestorer.restore(pid: pid, group)) {
                guard case .failed(let why) = outcome else { continue }
                failures += 1
                report("lwpscope guardian: cannot restore \(entry.original.count) bytes at 0x\(String(entry.address, radix: 16)) "
                    + "in process \(pid) (\(why)); a thread that runs them may stop with SIGTRAP\n")
            }
        }
        return failures
    }

    private static func report(_ line: String) {
        var text = line
        text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let (n, _) = retryingEINTR { write(STDERR_FILENO, bytes.baseAddress! + offset, bytes.count - offset) }
                guard n > 0 else { return }
                offset += n
            }
        }
    }

    private static func sleep(nanoseconds: Int) {
        var left = timespec(tv_sec: nanoseconds / 1_000_000_000, tv_nsec: nanoseconds % 1_000_000_000)
        var remaining = timespec()
        while nanosleep(&left, &remaining) != 0, errno == EINTR { left = remaining }
    }
}
