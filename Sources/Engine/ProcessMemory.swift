import CPtrace

/// Reads a process's memory with process_vm_readv. Unlike ptrace requests this
/// works from any thread, so unwinding can happen off the engine thread.
public enum ProcessMemory {
    /// Fills `buffer` from `address` in process `pid`; false if any byte is unreadable.
    public static func read(pid: Int32, address: UInt64, into buffer: UnsafeMutableRawBufferPointer) -> Bool {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return buffer.count == 0 }
        return lwp_read_memory(pid, address, base, buffer.count) == buffer.count
    }

    /// Up to `count` bytes from `address`, stopping at the first unreadable page.
    public static func read(pid: Int32, address: UInt64, count: Int) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: count)
        let n = bytes.withUnsafeMutableBytes { lwp_read_memory(pid, address, $0.baseAddress, count) }
        guard n > 0 else { return nil }
        return Array(bytes[0..<n])
    }
}
