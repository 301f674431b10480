import CPtrace
#if canImport(Glibc)
import Glibc
#endif

/// Copies the top of many threads' stacks with as few process_vm_readv calls
/// as possible, while they are stopped. A region that runs into an unmapped
/// page is cut short there instead of failing the whole batch.
enum StackCopier {
    /// Bytes below the stack pointer worth keeping: the x86_64 red zone.
    static let redZone: UInt64 = 128

    static func copy(pid: Int32, stackPointers: [(tid: Int32, sp: UInt64)], size: Int) -> [Int32: StackCopy] {
        guard size > 0, !stackPointers.isEmpty else { return [:] }
        let count = stackPointers.count
        let total = count * size
        var buffer = [UInt8](repeating: 0, count: total)
        var got = [Int](repeating: 0, count: count)
        let starts = stackPointers.map { $0.sp >= redZone ? $0.sp - redZone : 0 }
        buffer.withUnsafeMutableBytes { raw in
            var next = 0
            while next < count {
                let batch = min(count - next, 1024) // IOV_MAX
                var local = (0..<batch).map { i in
                    iovec(iov_base: raw.baseAddress! + (next + i) * size, iov_len: size)
                }
                var remote = (0..<batch).map { i in
                    iovec(iov_base: UnsafeMutableRawPointer(bitPattern: UInt(starts[next + i])), iov_len: size)
                }
                let n = lwp_process_vm_readv(pid, &local, UInt(batch), &remote, UInt(batch))
                if n <= 0 {
                    // The first region failed outright: read it alone, page by page.
                    got[next] = readPartially(pid: pid, address: starts[next], into: raw.baseAddress! + next * size, size: size)
                    next += 1
                    continue
                }
                var consumed = n
                var i = 0
                while i < batch, consumed >= size { got[next + i] = size; consumed -= size; i += 1 }
                if i < batch {
                    // Cut short inside region i: keep what we got, go on after it.
                    got[next + i] = consumed
                    if consumed == 0 {
                        got[next + i] = readPartially(pid: pid, address: starts[next + i], into: raw.baseAddress! + (next + i) * size, size: size)
                    }
                    i += 1
                }
                next += i
            }
        }
        var result: [Int32: StackCopy] = [:]
        result.reserveCapacity(count)
        for (i, entry) in stackPointers.enumerated() where got[i] > 0 {
            let slice = buffer[(i * size)..<(i * size + got[i])]
            result[entry.tid] = StackCopy(address: starts[i], bytes: Array(slice))
        }
        return result
    }

    /// Reads up to the first unreadable page.
    private static func readPartially(pid: Int32, address: UInt64, into buffer: UnsafeMutableRawPointer, size: Int) -> Int {
        let pageSize = 4096
        var done = 0
        while done < size {
            let chunk = min(size - done, pageSize - Int((address + UInt64(done)) % UInt64(pageSize)))
            let n = lwp_read_memory(pid, address + UInt64(done), buffer + done, chunk)
            if n <= 0 { break }
            done += n
            if n < chunk { break }
        }
        return done
    }
}
