#if canImport(Glibc)
import Glibc
#endif

/// The program a process runs, by its ELF header (/proc/PID/exe): x86_64
/// or not. A 32-bit program traced as x86_64 gives wrong registers, so it
/// is refused before attaching, with one line.
enum ExecutableArchitecture {
    /// What it runs when that is not x86_64 ("32-bit x86 (i386)"), or nil:
    /// x86_64, or unreadable (then the attach itself says why).
    static func unsupported(of pid: Int32, root: String) -> String? {
        let fd = open("\(root)/\(pid)/exe", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var header = [UInt8](repeating: 0, count: 20)
        guard read(fd, &header, header.count) == header.count else { return nil }
        return describe(header: header)
    }

    /// ELF identification: class at byte 4 (1: 32-bit, 2: 64-bit), data at
    /// byte 5 (1: little-endian), e_machine at 18 (3: i386, 62: x86_64).
    static func describe(header: [UInt8]) -> String? {
        guard header.count >= 20, header[0] == 0x7f, header[1] == 0x45, header[2] == 0x4c, header[3] == 0x46,
              header[5] == 1 else { return nil }
        let machine = UInt16(header[18]) | UInt16(header[19]) << 8
        switch (header[4], machine) {
        case (2, 62): return nil
        case (1, 3): return "32-bit x86 (i386)"
        case (1, 62): return "x32 (32-bit pointers on x86_64)"
        case (let elfClass, _): return "\(elfClass == 1 ? "32" : "64")-bit code for ELF machine \(machine)"
        }
    }
}
