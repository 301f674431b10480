import ELF
import Engine
import ProcFS

/// The kernel's vDSO has no file: its ELF image is read from the target's
/// memory. It carries CFI for __vdso_clock_gettime and friends, which threads
/// are often inside.
enum VDSO {
    static func module(pid: Int32, mapping: MemoryMapping) -> ModuleFile? {
        let size = Int(mapping.end - mapping.start)
        guard size > 0, size <= 64 * 1024,
              let bytes = TargetMemory(pid: pid).bytes(at: RuntimeAddress(mapping.start), count: size),
              let elf = try? ELFFile(bytes: bytes)
        else { return nil }
        return ModuleFile(path: "[vdso]", elf: elf, debugFile: nil)
    }
}
