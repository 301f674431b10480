import Foundation
import ProcFS
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Issue 17's odd targets: a 32-bit process gets one clear line and exit 1
/// from every command that attaches, not a row per thread and exit 0.
@Suite(.serialized, .timeLimit(.minutes(3))) struct ThirtyTwoBitTargetTests {
    let lwpscope = BuiltProducts.path("lwpscope")

    /// The smallest i386 program: one PT_LOAD whose code loops on pause()
    /// (int 0x80, syscall 29). Written by hand, so no multilib toolchain is needed.
    static func writeProgram(to path: String) throws {
        let base: UInt32 = 0x0804_8000, headerSize: UInt16 = 52, segmentSize: UInt16 = 32
        let code: [UInt8] = [0xb8, 29, 0, 0, 0, 0xcd, 0x80, 0xeb, 0xf7]  // mov eax, 29; int 0x80; jmp -9
        var bytes: [UInt8] = [0x7f, 0x45, 0x4c, 0x46, 1, 1, 1, 0] + [UInt8](repeating: 0, count: 8)
        func u16(_ value: UInt16) { bytes += withUnsafeBytes(of: value.littleEndian, Array.init) }
        func u32(_ value: UInt32) { bytes += withUnsafeBytes(of: value.littleEndian, Array.init) }
        let entry = base + UInt32(headerSize) + UInt32(segmentSize)
        u16(2); u16(3); u32(1); u32(entry); u32(UInt32(headerSize)); u32(0); u32(0)
        u16(headerSize); u16(segmentSize); u16(1); u16(0); u16(0); u16(0)
        let fileSize = UInt32(headerSize) + UInt32(segmentSize) + UInt32(code.count)
        u32(1); u32(0); u32(base); u32(base); u32(fileSize); u32(fileSize); u32(5); u32(0x1000)
        bytes += code
        // Close-on-exec from the open: a child another test spawns meanwhile
        // must not keep a write descriptor (ETXTBSY when we run it).
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o755)
        guard fd >= 0 else { throw TestFailure("cannot write \(path)") }
        defer { close(fd) }
        guard bytes.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) == bytes.count else {
            throw TestFailure("short write to \(path)")
        }
        fchmod(fd, 0o755)
    }

    @Test(arguments: [["dump"], ["dump", "--json"], ["threads"], ["hold"]])
    func aThirtyTwoBitProcessIsOneLineAndExitOne(command: [String]) throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pause32-\(getpid())-\(command.joined(separator: "_"))").path
        try Self.writeProgram(to: path)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let program = try startFreshBinary(path)
        defer { program.terminate() }
        #expect(waitUntil(timeout: 10) { ProcFS().stat(program.pid)?.state == .sleeping },
                "the i386 program did not start (does the kernel run 32-bit code?)")
        let result = try run(lwpscope, command.prefix(1) + [String(program.pid)] + command.dropFirst())
        #expect(result.exitCode == 1, "\(result.stdout) \(result.stderr)")
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(result.stderr)")
        #expect(result.stderr.contains("runs 32-bit x86 (i386) code"), "\(result.stderr)")
        #expect(result.stdout.isEmpty, "\(result.stdout)")
        #expect(TaskStates.untraced(program.pid))
    }
}
