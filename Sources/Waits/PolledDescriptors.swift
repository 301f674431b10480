/// The descriptors a poll or select waits on, from the caller's memory. While
/// the call blocks the kernel works on its own copy, so the caller's
/// pollfd array and fd_sets still hold what it asked for.
enum PolledDescriptors {
    /// More than any real poll set; a garbage count must not make a huge read.
    static let limit = 4096

    enum Failure: Error, Equatable {
        case unreadable(address: UInt64)
        case tooMany(Int)

        var description: String {
            switch self {
            case .unreadable(let address): "poll set at 0x\(String(address, radix: 16)) unreadable"
            case .tooMany(let count): "\(count) polled fds, more than \(PolledDescriptors.limit)"
            }
        }
    }

    /// struct pollfd { int fd; short events; short revents; }: 8 bytes each.
    /// Negative fds are skipped, as poll(2) ignores them.
    static func poll(pid: Int32, address: UInt64, count: Int, memory: any WaitMemoryReading) -> Result<[Int32], Failure> {
        guard count <= limit else { return .failure(.tooMany(count)) }
        guard count > 0 else { return .success([]) }
        guard let bytes = memory.bytes(pid: pid, address: address, count: count * 8) else {
            return .failure(.unreadable(address: address))
        }
        let words = LittleEndian.words32(bytes)
        let fds = stride(from: 0, to: words.count, by: 2).map { Int32(bitPattern: words[$0]) }.filter { $0 >= 0 }
        return .success(unique(fds))
    }

    /// fd_set: a bit per descriptor in 64-bit longs, below `count` (select's nfds).
    static func select(pid: Int32, count: Int, sets: [UInt64], memory: any WaitMemoryReading) -> Result<[Int32], Failure> {
        guard count <= limit else { return .failure(.tooMany(count)) }
        let longs = (count + 63) / 64
        var fds: [Int32] = []
        for address in sets where address != 0 && longs > 0 {
            guard let bytes = memory.bytes(pid: pid, address: address, count: longs * 8) else {
                return .failure(.unreadable(address: address))
            }
            for fd in 0..<count where bytes[fd / 8] & (1 << UInt8(fd % 8)) != 0 {
                fds.append(Int32(fd))
            }
        }
        return .success(unique(fds).sorted())
    }

    private static func unique(_ fds: [Int32]) -> [Int32] {
        var seen: Set<Int32> = []
        return fds.filter { seen.insert($0).inserted }
    }
}
