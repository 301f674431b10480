import ELF
import Engine
import Unwind

/// A process's memory as Backtraces reads it: a thread's stack copy, taken
/// while it was stopped, in front of live reads for everything outside it
/// (which may have changed since the thread resumed; the copy covers the
/// frames that matter most). Without a copy, live reads only (the vDSO image).
///
/// One rule for a read that runs off the readable: the bytes before the first
/// unreadable page are kept (`ProcessMemory.readPrefix`).
public struct TargetMemory: MemoryReader, Sendable {
    public let pid: Int32
    public let copy: SnapshotMemory?

    public init(pid: Int32, stack: StackCopy? = nil) {
        self.pid = pid
        copy = stack.map { SnapshotMemory(base: RuntimeAddress($0.address), bytes: $0.bytes) }
    }

    /// Fills the front of `buffer` with the bytes at `address`: from the copy
    /// where it has them, live beyond it, up to the first unreadable page.
    /// Returns how many bytes it filled.
    public func readPrefix(_ address: RuntimeAddress, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        let copied = copy?.readPrefix(address, into: buffer) ?? 0
        guard copied < buffer.count else { return copied }
        let rest = UnsafeMutableRawBufferPointer(rebasing: buffer[copied...])
        return copied + ProcessMemory.readPrefix(pid: pid, address: (address + UInt64(copied)).rawValue, into: rest)
    }

    public func read(_ address: RuntimeAddress, into buffer: UnsafeMutableRawBufferPointer) -> Bool {
        readPrefix(address, into: buffer) == buffer.count
    }

    /// Up to `count` bytes at `address`, as `readPrefix` finds them; nil when
    /// not even the first byte is readable.
    public func bytes(at address: RuntimeAddress, count: Int) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: count)
        let filled = bytes.withUnsafeMutableBytes { readPrefix(address, into: $0) }
        guard filled > 0 else { return nil }
        bytes.removeLast(count - filled)
        return bytes
    }
}
