import Foundation
import Testing
import TestSupport
@testable import ELF

@Suite struct HeaderTests {
    @Test func lsHeaderMatchesReadelf() throws {
        let file = try ELFFile.open(path: "/bin/ls")
        let readelf = try runTool("readelf", ["-hW", "/bin/ls"])
        let entryLine = try #require(readelf.split(separator: "\n").first { $0.contains("Entry point address:") })
        let entry = try #require(UInt64(entryLine.split(separator: "0x").last!.trimmingCharacters(in: .whitespaces), radix: 16))
        #expect(file.entry == FileAddress(entry))
        #expect(file.entry != 0)
        #expect(file.machine == 62)
        #expect(file.type == .sharedObject)  // Debian builds ls as a PIE
        #expect(file.isPositionIndependentExecutable)
    }

    @Test func libcIsSharedObjectNotPIE() throws {
        let libc = try ELFFile.open(path: libcPath)
        #expect(libc.type == .sharedObject)
        #expect(!libc.isPositionIndependentExecutable)
    }

    @Test func fixtureTypes() throws {
        let fixture = try CFixture.get()
        let dir = fixture.directory
        try runTool("gcc", ["-O2", "-c", "-o", dir + "/fixture.o", dir + "/fixture.c"])
        #expect(try ELFFile.open(path: dir + "/fixture.o").type == .relocatable)
        try runTool("gcc", ["-O2", "-no-pie", "-DWITH_MAIN", "-o", dir + "/fixture-nopie", dir + "/fixture.c"])
        let nopie = try ELFFile.open(path: dir + "/fixture-nopie")
        #expect(nopie.type == .executable)
        #expect(!nopie.isPositionIndependentExecutable)
        #expect(try ELFFile.open(path: fixture.executable).isPositionIndependentExecutable)
    }

    @Test func programHeadersMatchReadelf() throws {
        for path in ["/bin/ls", libcPath] {
            let file = try ELFFile.open(path: path)
            let rows = try runTool("readelf", ["-lW", path]).split(separator: "\n")
                .map { $0.split(separator: " ", omittingEmptySubsequences: true) }
                .filter { $0.count >= 7 && $0[1].hasPrefix("0x") && $0[2].hasPrefix("0x") }
            #expect(rows.count == file.programHeaders.count, "\(path)")
            for (row, ph) in zip(rows, file.programHeaders) {
                #expect(UInt64(row[1].dropFirst(2), radix: 16) == ph.offset)
                #expect(UInt64(row[2].dropFirst(2), radix: 16) == ph.vaddr.rawValue)
                #expect(UInt64(row[4].dropFirst(2), radix: 16) == ph.filesz)
                #expect(UInt64(row[5].dropFirst(2), radix: 16) == ph.memsz)
                #expect(String(row[0]) == ph.type.description)
            }
            let loads = file.programHeaders.filter { $0.type == .load }
            #expect(loads.count >= 2)
            #expect(loads.contains { $0.flags == [.read, .execute] })
        }
    }

    @Test func sectionsMatchReadelf() throws {
        for path in ["/bin/ls", libcPath] {
            let file = try ELFFile.open(path: path)
            let rows = try runTool("readelf", ["-SW", path]).split(separator: "\n").filter { $0.contains("] ") }.dropFirst(2)
            // "[Nr] Name Type Address Off Size ES Flg Lk Inf Al"; NULL has no name column.
            #expect(rows.count + 1 == file.sections.count, "\(path)")
            #expect(file.sections.first?.type == .null)
            for row in rows {
                let afterBracket = row.split(separator: "]", maxSplits: 1)[1]
                let f = afterBracket.split(separator: " ", omittingEmptySubsequences: true)
                let index = Int(row.split(separator: "[")[1].split(separator: "]")[0].trimmingCharacters(in: .whitespaces))!
                let section = file.sections[index]
                #expect(section.index == index)
                #expect(section.name == String(f[0]))
                #expect(section.addr.rawValue == UInt64(f[2], radix: 16))
                #expect(section.offset == UInt64(f[3], radix: 16))
                #expect(section.size == UInt64(f[4], radix: 16))
                #expect(section.entsize == UInt64(f[5], radix: 16))
            }
            let text = try #require(file.section(named: ".text"))
            #expect(text.type == .progbits && text.isExecutable)
            #expect(try file.data(of: text).count == Int(text.size))
            let bss = try #require(file.section(named: ".bss"))
            #expect(bss.type == .nobits && bss.size > 0)
            #expect(try file.data(of: bss).isEmpty)
            #expect(file.section(named: ".no-such-section") == nil)
        }
    }

    @Test func sectionDataIsAViewIntoTheFile() throws {
        let file = try ELFFile.open(path: "/bin/ls")
        let interp = try #require(file.section(named: ".interp"))
        let data = try file.data(of: interp)
        #expect(String(decoding: data.prefix { $0 != 0 }, as: UTF8.self) == "/lib64/ld-linux-x86-64.so.2")
        #expect(data.baseAddress == file.bytes.baseAddress! + Int(interp.offset))
    }

    @Test func inMemoryCopyParsesLikeTheMapping() throws {
        let bytes = try readBytes("/bin/ls")
        let copy = try ELFFile(bytes: bytes)
        let mapped = try ELFFile.open(path: "/bin/ls")
        #expect(copy.sections == mapped.sections)
        #expect(copy.programHeaders == mapped.programHeaders)
        #expect(copy.path == nil && mapped.path == "/bin/ls")
        #expect(try copy.symbols.count == mapped.symbols.count)
    }
}

@Suite struct HeaderErrorTests {
    func edited(_ edit: (inout [UInt8]) -> Void) throws -> [UInt8] {
        var bytes = try readBytes("/bin/ls")
        edit(&bytes)
        return bytes
    }

    func error(of bytes: [UInt8]) -> ELFError? {
        do { _ = try ELFFile(bytes: bytes); return nil } catch { return error }
    }

    @Test func thirtyTwoBitIsRejected() throws {
        let e = error(of: try edited { $0[4] = 1 })
        #expect(e == .unsupportedClass(1))
        #expect(e?.description == "32-bit ELF files are not supported (EI_CLASS=1)")
    }

    @Test func otherMachineIsRejected() throws {
        // e_machine = EM_AARCH64 (183), little-endian at offset 18.
        let e = error(of: try edited { $0[18] = 183; $0[19] = 0 })
        #expect(e == .wrongMachine(183))
        #expect(e?.description.contains("183") == true)
    }

    @Test func bigEndianIsRejected() throws {
        #expect(error(of: try edited { $0[5] = 2 }) == .unsupportedEndianness(2))
    }

    @Test func badMagicIsNotELF() throws {
        #expect(error(of: try edited { $0[1] = UInt8(ascii: "X") }) == .notELF(path: nil))
        #expect(error(of: []) == .notELF(path: nil))
        #expect(error(of: Array("#!/bin/sh\necho hi\n".utf8)) == .notELF(path: nil))
        #expect(throws: ELFError.notELF(path: "/etc/passwd")) { try ELFFile.open(path: "/etc/passwd") }
    }

    @Test func truncatedHeaderNamesTheOffset() throws {
        let bytes = try readBytes("/bin/ls")
        let e = error(of: Array(bytes.prefix(40)))
        guard case .truncated(let offset, _) = e else { Issue.record("got \(String(describing: e))"); return }
        #expect(offset == 40)  // e_shoff starts at 40
        // Cutting off the section header table at the end of the file.
        let cut = error(of: Array(bytes.dropLast(100)))
        guard case .truncated = cut else { Issue.record("got \(String(describing: cut))"); return }
    }

    @Test func ioErrorsAreTyped() throws {
        let dir = try makeTempDirectory("io")
        let empty = dir + "/empty"
        try writeBytes([], to: empty)
        #expect(throws: ELFError.emptyFile(path: empty)) { try ELFFile.open(path: empty) }
        #expect(throws: ELFError.io(path: dir + "/missing", operation: "open", errno: ENOENT)) {
            try ELFFile.open(path: dir + "/missing")
        }
        let e = ELFError.io(path: "/x", operation: "open", errno: ENOENT)
        #expect(e.description == "open /x: No such file or directory")
        #expect(throws: ELFError.self) { try ELFFile.open(path: dir) }  // a directory
    }
}
