import CPtrace

/// Reads a process's memory with process_vm_readv. Unlike ptrace requests this
/// works from any thread, so unwinding can happen off the engine thread.
///
/// Every read of another process's memory follows one rule, `readPrefix`: a
/// read that runs into an unreadable page keeps the bytes before it.
public enum ProcessMemory {
    static let pageSize = 4096

    /// Fills the front of `buffer` from `address` in process `pid`, up to the
    /// first unreadable page; returns how many bytes it filled.
    public static func readPrefix(pid: Int32, address: UInt64, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        // All at once first: one system call in the common case. The kernel
        // stops a read at the first page it cannot read and reports the rest.
        let whole = lwp_read_memory(pid, address, base, buffer.count)
        if whole > 0 { return whole }
        // Refused outright: only the first page may be bad, or (as
        // process_vm_readv(2) warns) a bad page further on may have failed
        // the whole read. Page by page from the start, unless it was one page.
        let firstPage = pageSize - Int(address % UInt64(pageSize))
        guard buffer.count > firstPage else { return 0 }
        var done = 0
        while done < buffer.count {
            let chunk = min(buffer.count - done, done == 0 ? firstPage : pageSize)
            let n = lwp_read_memory(pid, address &+ UInt64(done), base + done, chunk)
            if n <= 0 { break }
            done += n
            if n < chunk { break }
        }
        return done
    }

    /// Fills `buffer` from `address` in process `pid`; false if any byte is unreadable.
    public static func read(pid: Int32, address: UInt64, into buffer: UnsafeMutableRawBufferPointer) -> Bool {
        readPrefix(pid: pid, address: address, into: buffer) == buffer.count
    }

    /// Up to `count` bytes from `address`, stopping at the first unreadable
    /// page; nil when not even the first byte is readable.
    public static func read(pid: Int32, address: UInt64, count: Int) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: count)
        let n = bytes.withUnsafeMutableBytes { readPrefix(pid: pid, address: address, into: $0) }
        guard n > 0 else { return nil }
        return Array(bytes[0..<n])
    }
}
