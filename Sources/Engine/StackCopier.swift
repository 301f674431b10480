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

    /// - mappings: sorted ranges of the process's mappings; a copy stops at
    ///   the end of the mapping its stack pointer is in (the top of that
    ///   thread's stack), so no read runs into the next mapping, and below the
    ///   thread pointer when that lies above the stack pointer in the same
    ///   mapping (glibc's thread descriptor: 2 KiB a thread, which at 4,000
    ///   threads is 9 MB of copies nobody unwinds). Frames beyond a copy are
    ///   still read, live.
    static func copy(
        pid: Int32, stackPointers: [(tid: Int32, sp: UInt64, threadPointer: UInt64)], size requested: Int,
        mappings: [Range<UInt64>] = []
    ) -> [Int32: StackCopy] {
        guard requested > 0, !stackPointers.isEmpty else { return [:] }
        let count = stackPointers.count
        let starts = stackPointers.map { $0.sp >= redZone ? $0.sp - redZone : 0 }
        let sizes = stackPointers.map { entry -> Int in
            guard let mapping = mapping(containing: entry.sp, in: mappings) else { return requested }
            let start = entry.sp >= redZone ? entry.sp - redZone : 0
            var end = mapping.upperBound
            if entry.threadPointer > entry.sp, entry.threadPointer < end { end = entry.threadPointer }
            return Int(min(UInt64(requested), end > start ? end - start : 0))
        }
        let size = sizes.max() ?? requested
        // One buffer per thread, read into in place: no second copy.
        // Uninitialized: zero-filling would touch every page twice while the
        // target is stopped; bytes past what a read returns are cut off below.
        var buffers = sizes.map { size in
            [UInt8](unsafeUninitializedCapacity: max(1, size)) { _, count in count = max(1, size) }
        }
        var got = [Int](repeating: 0, count: count)
        var next = 0
        while next < count {
            let batch = min(count - next, 1024)  // IOV_MAX
            var local: [iovec] = []
            local.reserveCapacity(batch)
            for i in next..<(next + batch) {
                local.append(buffers[i].withUnsafeMutableBytes { iovec(iov_base: $0.baseAddress, iov_len: sizes[i]) })
            }
            var remote = (0..<batch).map { i in
                iovec(iov_base: UnsafeMutableRawPointer(bitPattern: UInt(starts[next + i])), iov_len: sizes[next + i])
            }
            // The iovecs point into `buffers`, which stay put until the next batch.
            let n = lwp_process_vm_readv(pid, &local, UInt(batch), &remote, UInt(batch))
            if n <= 0 {
                // The first region failed outright: read it alone, page by page.
                got[next] = buffers[next].withUnsafeMutableBytes { readPartially(pid: pid, address: starts[next], into: $0.baseAddress!, size: sizes[next]) }
                next += 1
                continue
            }
            var consumed = n
            var i = 0
            while i < batch, consumed >= sizes[next + i] { got[next + i] = sizes[next + i]; consumed -= sizes[next + i]; i += 1 }
            if i < batch {
                // Cut short inside region i: keep what we got, go on after it.
                got[next + i] = consumed
                if consumed == 0 {
                    got[next + i] = buffers[next + i].withUnsafeMutableBytes {
                        readPartially(pid: pid, address: starts[next + i], into: $0.baseAddress!, size: sizes[next + i])
                    }
                }
                i += 1
            }
            next += i
        }
        var result: [Int32: StackCopy] = [:]
        result.reserveCapacity(count)
        for (i, entry) in stackPointers.enumerated() where got[i] > 0 {
            if got[i] < buffers[i].count { buffers[i].removeLast(buffers[i].count - got[i]) }
            result[entry.tid] = StackCopy(address: starts[i], bytes: buffers[i])
        }
        return result
    }

    private static func mapping(containing address: UInt64, in mappings: [Range<UInt64>]) -> Range<UInt64>? {
        var low = 0
        var high = mappings.count
        while low < high {
            let mid = (low + high) / 2
            if mappings[mid].upperBound <= address { low = mid + 1 } else { high = mid }
        }
        return low < mappings.count && mappings[low].contains(address) ? mappings[low] : nil
    }

    /// Reads up to the first unreadable page.
    private static func readPartially(pid: Int32, address: UInt64, into buffer: UnsafeMutableRawPointer, size: Int) -> Int {
        ProcessMemory.readPrefix(pid: pid, address: address, into: UnsafeMutableRawBufferPointer(start: buffer, count: size))
    }
}
