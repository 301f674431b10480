#if canImport(Glibc)
import Glibc
#endif

/// Writes recorded original bytes back into a process through
/// /proc/PID/mem (process_vm_writev cannot write read-only code pages;
/// /proc/PID/mem writes them as ptrace's POKETEXT does).
struct CodeRestorer {
    /// What became of one record.
    enum Outcome: Equatable {
        case restored
        /// The process is gone, or the pid is another process's now.
        case processGone
        /// The bytes there are not the patched ones (lwpscope or someone
        /// else changed them, an exec replaced the code, the mapping is gone):
        /// writing the original over them could do harm.
        case notPatched
        /// Should have been restored and was not: why.
        case failed(String)
    }

    /// Restores every entry of one process, opening /proc/PID once. The
    /// directory is opened first and the start time read through it, so a
    /// pid reused in between is never written to.
    static func restore(pid: Int32, _ entries: [PatchEntry]) -> [Outcome] {
        let directory = open("/proc/\(pid)", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard directory >= 0 else { return entries.map { _ in .processGone } }
        defer { close(directory) }
        let memory = openat(directory, "mem", O_RDWR | O_CLOEXEC)
        let openError = errno
        defer { if memory >= 0 { close(memory) } }
        guard let startTime = ProcessStartTime.read(inProcessDirectory: directory) else {
            return entries.map { _ in .processGone }
        }
        return entries.map { entry in
            guard entry.startTime == startTime else { return .processGone }
            guard memory >= 0 else { return .failed("cannot open /proc/\(pid)/mem: \(errorText(openError))") }
            return restore(entry, memory: memory)
        }
    }

    private static func restore(_ entry: PatchEntry, memory: Int32) -> Outcome {
        guard entry.address <= UInt64(Int64.max) else { return .notPatched }
        let offset = off_t(entry.address)
        var current = [UInt8](repeating: 0, count: entry.original.count)
        let (got, readError) = retryingEINTR { current.withUnsafeMutableBytes { pread(memory, $0.baseAddress, $0.count, offset) } }
        if got < 0 {
            // EIO: nothing is mapped there any more. ESRCH: the process exited.
            if readError == EIO { return .notPatched }
            if readError == ESRCH { return .processGone }
            return .failed("cannot read the bytes there: \(errorText(readError))")
        }
        guard got == current.count, current == entry.patched else { return .notPatched }
        let (put, writeError) = retryingEINTR { entry.original.withUnsafeBytes { pwrite(memory, $0.baseAddress, $0.count, offset) } }
        if put < 0 {
            if writeError == ESRCH { return .processGone }
            return .failed("pwrite failed: \(errorText(writeError))")
        }
        guard put == entry.original.count else { return .failed("wrote \(put) of \(entry.original.count) bytes") }
        return .restored
    }
}

/// Calls until the call is not interrupted; its result and errno (read at
/// once, before anything else can change it).
func retryingEINTR(_ call: () -> Int) -> (result: Int, error: Int32) {
    while true {
        let result = call()
        let error = result < 0 ? errno : 0
        if result < 0, error == EINTR { continue }
        return (result, error)
    }
}

func errorText(_ code: Int32) -> String {
    String(cString: strerror(code))
}
