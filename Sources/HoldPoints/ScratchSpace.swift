import Backtraces
import ELF
#if canImport(Glibc)
import Glibc
#endif

/// Room for displaced copies inside a module's own code mapping.
///
/// The kernel maps an executable PT_LOAD segment in whole pages, so the
/// mapping runs on past the segment's last byte (bias + p_vaddr + p_memsz)
/// to the end of its page. That tail is no part of the program: no symbol,
/// no code and no jump reaches it, so nothing runs there until we put a copy
/// there. Whatever file bytes it shows (often the start of the next
/// segment) are read by the program through that segment's own mapping, at
/// its own addresses; the tail is a private mapping, so a write through
/// ptrace gives this page its own copy and changes nothing anyone reads.
/// And it is near the code, so a copy's rel32 jumps back reach.
public enum ScratchSpace {
    /// Less than this holds too few copies to be worth using.
    public static let minimumSize: UInt64 = 64

    /// The unused tail of the executable segment holding `address`, while it
    /// lies in the same executable mapping; nil when there is none, it is
    /// under `minimumSize`, or the address is in no module (or in the vDSO,
    /// which the kernel provides and no file backs).
    public static func tail(containing address: RuntimeAddress, in space: AddressSpace) -> Range<RuntimeAddress>? {
        guard let region = space.region(containing: address), region.path != "[vdso]",
              let elf = region.module?.elf else { return nil }
        let bias = region.loadBias
        let fileAddress = bias.fileAddress(of: address)
        let loads = elf.programHeaders.filter { $0.type == .load }
        guard let segment = loads.first(where: {
            $0.flags.contains(.execute) && fileAddress >= $0.vaddr && fileAddress.offset(from: $0.vaddr) < $0.memsz
        }) else { return nil }
        let start = bias.runtimeAddress(of: segment.vaddr + segment.memsz)
        let page = UInt64(max(4096, sysconf(Int32(_SC_PAGESIZE))))
        let pageEnd = RuntimeAddress((start.rawValue &+ page &- 1) & ~(page - 1))
        let end = min(pageEnd, region.range.upperBound)
        guard region.range.contains(start), end > start, end.offset(from: start) >= minimumSize else { return nil }
        // Another segment starting in the same page would own those bytes.
        let tail = start ..< end
        for other in loads where other != segment {
            let otherStart = bias.runtimeAddress(of: FileAddress(other.vaddr.rawValue & ~(page - 1)))
            let otherEnd = bias.runtimeAddress(of: other.vaddr + other.memsz)
            if otherStart < tail.upperBound && tail.lowerBound < otherEnd { return nil }
        }
        return tail
    }

    /// The same for a process by pid, reading its mappings now.
    public static func tail(containing address: RuntimeAddress, pid: Int32) -> Range<RuntimeAddress>? {
        AddressSpace.load(pid: pid).flatMap { tail(containing: address, in: $0) }
    }
}
