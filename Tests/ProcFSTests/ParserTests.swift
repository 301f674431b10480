import Foundation
import Testing
@testable import ProcFS

@Suite struct TaskStatParserTests {
    // A comm with spaces and a ")" of its own: only the last ")" ends it.
    static let tricky = "4242 (my (odd) name)) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 75 0 0 20 0 3 0 123456 10000000 321 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0"

    @Test func commWithSpacesAndParentheses() throws {
        let stat = try #require(TaskStatParser.parse(Self.tricky))
        #expect(stat.id == 4242)
        #expect(stat.name == "my (odd) name)")
        #expect(stat.state == .sleeping)
        #expect(stat.parentID == 1)
        #expect(stat.userTicks == 250)
        #expect(stat.systemTicks == 75)
        #expect(stat.threadCount == 3)
        #expect(stat.startTicks == 123456)
        #expect(stat.residentPages == 321)
        #expect(stat.lastCPU == 1)
        #expect(!stat.isKernelThread)
    }

    @Test func kernelThreadFlag() throws {
        let text = "2 (kthreadd) S 0 0 0 0 -1 2129984 0 0 0 0 0 3 0 0 20 0 1 0 1 0 0 18446744073709551615 0 0 0 0 0 0 0 2147483647 0 0 0 0 17 0 0 0 0 0 0"
        let stat = try #require(TaskStatParser.parse(text))
        #expect(stat.isKernelThread)
        #expect(stat.name == "kthreadd")
    }

    @Test func truncatedOrGarbageGivesNil() {
        #expect(TaskStatParser.parse("") == nil)
        #expect(TaskStatParser.parse("12 (x) S 1 2 3") == nil)
        #expect(TaskStatParser.parse("not a stat line") == nil)
        #expect(TaskStatParser.parse(String(Self.tricky.prefix(40))) == nil)
    }

    /// Every stat file of this machine, against a plain split of its fields.
    @Test func everyProcessHereParsesAsASplitReadsIt() throws {
        var checked = 0
        for entry in try FileManager.default.contentsOfDirectory(atPath: "/proc") where Int32(entry) != nil {
            guard let text = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = text.lastIndex(of: ")") else { continue }
            let fields = text[text.index(after: close)...].split(separator: " ").map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) }
            let stat = try #require(TaskStatParser.parse(text), "\(text)")
            #expect(stat.id == Int32(entry) && String(stat.state.letter) == fields[0], "\(text)")
            #expect(stat.parentID == Int32(fields[1]) && stat.flags == UInt32(fields[6]), "\(text)")
            #expect(stat.userTicks == UInt64(fields[11]) && stat.systemTicks == UInt64(fields[12]), "\(text)")
            #expect(stat.threadCount == Int(fields[17]) && stat.startTicks == UInt64(fields[19]), "\(text)")
            #expect(stat.residentPages == Int64(fields[21]) && stat.lastCPU == Int(fields[36]), "\(text)")
            checked += 1
        }
        #expect(checked > 10)
    }

    @Test func negativeAndHugeNumbersAreRead() throws {
        let text = "7 (x) R -1 7 7 0 -1 64 0 0 0 0 18446744073709551615 0 0 0 20 0 1 0 5 0 -3 0 0"
        let stat = try #require(TaskStatParser.parse(text))
        #expect(stat.parentID == -1 && stat.userTicks == UInt64.max && stat.residentPages == -3)
        #expect(TaskStatParser.parse(text.replacingOccurrences(of: "18446744073709551615", with: "18446744073709551616")) == nil,
                "an overflowing number is not a number")
        #expect(TaskStatParser.parse(text.replacingOccurrences(of: " 64 ", with: " 6x4 ")) == nil)
    }

    @Test func everyStateLetter() {
        #expect(TaskState(letter: "t") == .tracingStop)
        #expect(TaskState(letter: "T") == .stopped)
        #expect(TaskState(letter: "Z") == .zombie)
        #expect(TaskState(letter: "D").letter == "D")
        #expect(TaskState(letter: "?") == .other("?"))
    }
}

@Suite struct TaskStatusParserTests {
    @Test func tracerAndThreads() throws {
        let text = """
            Name:\tgdb target
            Umask:\t0022
            State:\tt (tracing stop)
            Tgid:\t900
            Ngid:\t0
            Pid:\t901
            PPid:\t899
            TracerPid:\t1234
            Uid:\t1000\t1000\t1000\t1000
            Gid:\t1000\t1000\t1000\t1000
            Threads:\t7
            """
        let status = try #require(TaskStatusParser.parse(text))
        #expect(status.name == "gdb target")
        #expect(status.state == .tracingStop)
        #expect(status.threadGroupID == 900)
        #expect(status.parentID == 899)
        #expect(status.tracerID == 1234)
        #expect(status.realUserID == 1000)
        #expect(status.threadCount == 7)
    }

    @Test func missingFieldsGiveNil() {
        #expect(TaskStatusParser.parse("Name:\tx\nState:\tS (sleeping)\n") == nil)
    }
}

@Suite struct MemoryMapParserTests {
    @Test func pathsWithSpacesDeletedAndAnonymous() {
        let text = """
            55d4c5a00000-55d4c5a02000 r--p 00000000 08:01 1234                       /usr/bin/my prog
            55d4c5a02000-55d4c5a08000 r-xp 00002000 08:01 1234                       /usr/bin/my prog
            7f0000000000-7f0000021000 rw-p 00000000 00:00 0
            7f1000000000-7f1000001000 r-xp 00000000 00:01 77                         /memfd:jit (deleted)
            7ffd00000000-7ffd00021000 rw-p 00000000 00:00 0                          [stack]
            """
        let maps = MemoryMapParser.parse(text)
        #expect(maps.count == 5)
        #expect(maps[1].path == "/usr/bin/my prog")
        #expect(maps[1].isExecutable && maps[1].isReadable && !maps[1].isWritable && maps[1].isPrivate)
        #expect(maps[1].fileOffset == 0x2000)
        #expect(maps[1].contains(0x55d4c5a02000) && !maps[1].contains(0x55d4c5a08000))
        #expect(maps[2].path == "" && !maps[2].isFileBacked)
        #expect(maps[3].isDeleted)
        #expect(maps[4].path == "[stack]")
        #expect(maps[0].isFileBacked)
    }

    @Test func garbageLinesAreSkipped() {
        #expect(MemoryMapParser.parse("zzz\n1-2 r\n").isEmpty)
        #expect(MemoryMapParser.ranges(Array("zzz\n-2 r\n5-x r\n9-3 r\n10000000000000000-2 r\n".utf8)).isEmpty)
    }

    /// The quick range reader agrees with the full parser on this very
    /// process's map, and keeps a last line without its newline.
    @Test func rangesAgreeWithTheFullParse() throws {
        let text = try String(contentsOfFile: "/proc/self/maps", encoding: .utf8)
        let full = MemoryMapParser.parse(text).map { $0.start..<$0.end }
        #expect(full.count > 5)
        #expect(MemoryMapParser.ranges(Array(text.utf8)) == full)
        #expect(MemoryMapParser.ranges(Array("a-b r\nc0-d0 rw".utf8)) == [0xa..<0xb, 0xc0..<0xd0])
    }
}

@Suite struct ThreadSyscallTests {
    @Test func threeForms() {
        #expect(ThreadSyscall.parse("running\n") == .running)
        #expect(ThreadSyscall.parse("-1 0x7ffc0 0x401000\n") == .blockedOutsideSyscall(stackPointer: 0x7ffc0, programCounter: 0x401000))
        let blocked = ThreadSyscall.parse("230 0x0 0x0 0x7f00 0x0 0x0 0x0 0x7ffe10 0x7f12345\n")
        #expect(blocked == .inSyscall(number: 230, arguments: [0, 0, 0x7f00, 0, 0, 0], stackPointer: 0x7ffe10, programCounter: 0x7f12345))
        #expect(ThreadSyscall.parse("") == nil)
        #expect(ThreadSyscall.parse("7 0x1") == nil)
    }
}
