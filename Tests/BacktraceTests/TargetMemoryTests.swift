import Backtraces
import ELF
@testable import Engine
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The one reader of target memory, on real memory: this process's own pages
/// (process_vm_readv needs no ptrace for those), one of them unreadable.
@Suite struct TargetMemoryTests {
    /// Two pages of known bytes, the second made unreadable; unmapped at the end.
    final class Pages {
        static let size = Int(sysconf(Int32(_SC_PAGESIZE)))
        let base: UnsafeMutableRawPointer

        init() throws {
            let mapped = mmap(nil, 2 * Self.size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
            guard let mapped, mapped != MAP_FAILED else { throw POSIXFailure(what: "mmap") }
            base = mapped
            for i in 0 ..< 2 * Self.size { base.storeBytes(of: UInt8(truncatingIfNeeded: i), toByteOffset: i, as: UInt8.self) }
            guard mprotect(base + Self.size, Self.size, PROT_NONE) == 0 else { throw POSIXFailure(what: "mprotect") }
        }

        deinit { munmap(base, 2 * Self.size) }

        var address: UInt64 { UInt64(UInt(bitPattern: base)) }
        /// Where the unreadable page starts.
        var wall: UInt64 { address + UInt64(Self.size) }
    }

    struct POSIXFailure: Error { let what: String }

    @Test func aLiveReadKeepsTheBytesBeforeAnUnreadablePage() throws {
        let pages = try Pages()
        let pid = getpid()
        var buffer = [UInt8](repeating: 0, count: 64)
        // 16 readable bytes, then the wall.
        let filled = buffer.withUnsafeMutableBytes { ProcessMemory.readPrefix(pid: pid, address: pages.wall - 16, into: $0) }
        #expect(filled == 16)
        #expect(Array(buffer.prefix(16)) == (Pages.size - 16 ..< Pages.size).map { UInt8(truncatingIfNeeded: $0) })
        #expect(buffer.withUnsafeMutableBytes { ProcessMemory.read(pid: pid, address: pages.wall - 16, into: $0) } == false)
        #expect(ProcessMemory.read(pid: pid, address: pages.wall - 16, count: 64)?.count == 16)
        #expect(ProcessMemory.read(pid: pid, address: pages.wall, count: 64) == nil)
        // Inside the readable page, all of it.
        #expect(buffer.withUnsafeMutableBytes { ProcessMemory.read(pid: pid, address: pages.address, into: $0) })
        #expect(buffer == (0 ..< 64).map { UInt8($0) })
    }

    @Test func theCopyComesFirstAndLiveReadsContinueIt() throws {
        let pages = try Pages()
        // A "stack copy" of 32 bytes taken earlier: its bytes differ from memory now.
        let copyStart = pages.wall - 64
        let memory = TargetMemory(pid: getpid(), stack: StackCopy(address: copyStart, bytes: [UInt8](repeating: 0xcc, count: 32)))
        let start = RuntimeAddress(copyStart)
        // Inside the copy: the copy's bytes.
        #expect(memory.readU64(start + 8) == 0xcccc_cccc_cccc_cccc)
        // Straddling the copy's end: the copy, then live memory.
        let live = { (offset: Int) in UInt8(truncatingIfNeeded: Pages.size - 64 + offset) }
        #expect(memory.bytes(at: start + 28, count: 8) == [0xcc, 0xcc, 0xcc, 0xcc, live(32), live(33), live(34), live(35)])
        // Beyond the copy: live, up to the unreadable page and no further.
        #expect(memory.bytes(at: start + 48, count: 64) == (48 ..< 64).map(live))
        #expect(memory.readU64(RuntimeAddress(pages.wall - 4)) == nil)
        #expect(memory.bytes(at: RuntimeAddress(pages.wall), count: 8) == nil)
        // Without a copy: live only.
        #expect(TargetMemory(pid: getpid()).readU64(start + 8) != 0xcccc_cccc_cccc_cccc)
    }
}
