#if canImport(Glibc)
import Glibc
#endif

/// Bytes that stay at one address for the owner's lifetime: a read-only mmap of
/// a file, or a heap copy (for `ELFFile(bytes:)` and decompressed sections).
///
/// Immutable after init, so sharing across threads is safe.
final class MappedFile: @unchecked Sendable {
    let bytes: UnsafeRawBufferPointer
    /// The whole mapping (or copy) `bytes` lies in: a cache file's header too.
    let mapping: UnsafeRawBufferPointer
    /// The mapped file's device, inode, size and times when it was opened
    /// (nil for heap copies).
    let identity: FileIdentity?
    private var isMapped: Bool { identity != nil }

    var mappedLength: Int { mapping.count }

    /// Maps `path` read-only, `bytes` from `contentOffset` on (a header
    /// before it). An empty file is an error (mmap of 0 bytes fails).
    init(path: String, contentOffset: Int = 0) throws(ELFError) {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .io(path: path, operation: "open", errno: errno) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw .io(path: path, operation: "fstat", errno: errno) }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw .io(path: path, operation: "open non-regular file", errno: EINVAL) }
        let size = Int(st.st_size)
        guard size > 0 else { throw .emptyFile(path: path) }
        guard contentOffset <= size else { throw .malformed(offset: 0, what: "\(path) is shorter than its header") }
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else {
            throw .io(path: path, operation: "mmap", errno: errno)
        }
        mapping = UnsafeRawBufferPointer(start: base, count: size)
        bytes = UnsafeRawBufferPointer(start: base + contentOffset, count: size - contentOffset)
        identity = FileIdentity(st)
    }

    /// Takes a private heap copy of `source`.
    init(copying source: UnsafeRawBufferPointer) {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(source.count, 1), alignment: 16)
        if let src = source.baseAddress, source.count > 0 {
            buffer.baseAddress!.copyMemory(from: src, byteCount: source.count)
        }
        bytes = UnsafeRawBufferPointer(start: buffer.baseAddress, count: source.count)
        mapping = bytes
        identity = nil
    }

    /// Adopts an allocation made with `UnsafeMutableRawBufferPointer.allocate`.
    init(adopting buffer: UnsafeMutableRawBufferPointer, count: Int) {
        bytes = UnsafeRawBufferPointer(start: buffer.baseAddress, count: count)
        mapping = bytes
        identity = nil
    }

    /// Gives the pages wholly inside `range` back to the kernel, when they are
    /// a file's (clean, re-read on the next touch): a compressed section, once
    /// inflated, need not stay resident. Heap copies are left alone, since
    /// dropping their pages would lose the bytes.
    func release(_ range: UnsafeRawBufferPointer) {
        guard isMapped, let base = mapping.baseAddress, let start = range.baseAddress,
              start >= base, start + range.count <= base + mapping.count else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let first = (Int(bitPattern: start) + page - 1) / page * page
        let end = (Int(bitPattern: start) + range.count) / page * page
        guard end > first, let address = UnsafeMutableRawPointer(bitPattern: first) else { return }
        madvise(address, end - first, MADV_DONTNEED)
    }

    deinit {
        guard let base = mapping.baseAddress else { return }
        if isMapped {
            munmap(UnsafeMutableRawPointer(mutating: base), mapping.count)
        } else {
            UnsafeMutableRawPointer(mutating: base).deallocate()
        }
    }
}
