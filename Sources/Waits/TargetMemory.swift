import Engine

/// Another process's memory as the analyzer reads it: without attaching
/// (process_vm_readv needs only ptrace-read permission). Tests replace it.
public protocol WaitMemoryReading {
    /// Exactly `count` bytes at `address` in `pid`, or nil when any is unreadable.
    func bytes(pid: Int32, address: UInt64, count: Int) -> [UInt8]?
}

/// The live process's memory, through Engine's `ProcessMemory`.
public struct LiveWaitMemory: WaitMemoryReading {
    public init() {}

    public func bytes(pid: Int32, address: UInt64, count: Int) -> [UInt8]? {
        guard let bytes = ProcessMemory.read(pid: pid, address: address, count: count), bytes.count == count else {
            return nil
        }
        return bytes
    }
}

extension WaitMemoryReading {
    /// Little-endian 32-bit words (x86_64's order) from `address`.
    func words32(pid: Int32, address: UInt64, count: Int) -> [UInt32]? {
        bytes(pid: pid, address: address, count: count * 4).map(LittleEndian.words32)
    }
}

/// x86_64's byte order, for words read out of a target.
enum LittleEndian {
    static func words32(_ bytes: [UInt8]) -> [UInt32] {
        stride(from: 0, to: bytes.count - 3, by: 4).map { (i: Int) -> UInt32 in
            let low = UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8
            let high = UInt32(bytes[i + 2]) << 16 | UInt32(bytes[i + 3]) << 24
            return low | high
        }
    }
}
