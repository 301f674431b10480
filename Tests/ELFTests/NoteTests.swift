import Foundation
import Testing
import TestSupport
@testable import ELF

@Suite struct NoteTests {
    func readelfBuildID(_ path: String) throws -> String? {
        try runTool("readelf", ["-nW", path]).split(separator: "\n")
            .first { $0.contains("Build ID:") }
            .map { String($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) }
    }

    @Test func buildIDMatchesReadelf() throws {
        // Resolve /proc/self/exe here: for readelf it would name readelf.
        let selfExe = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        for path in ["/bin/ls", libcPath, try CFixture.get().executable, selfExe] {
            let file = try ELFFile.open(path: path)
            let expected = try #require(try readelfBuildID(path), "\(path) has a build-id")
            #expect(file.buildIDHex == expected, "\(path)")
            #expect(file.buildID?.count == expected.count / 2)
        }
    }

    @Test func buildIDFromSegmentsWhenSectionsAreGone() throws {
        // Drop the section table (e_shoff = e_shnum = e_shstrndx = 0), as
        // sstrip does: the PT_NOTE segment still has the build-id.
        var bytes = try readBytes("/bin/ls")
        for i in 40 ..< 48 { bytes[i] = 0 }
        for i in 60 ..< 64 { bytes[i] = 0 }
        let file = try ELFFile(bytes: bytes)
        #expect(file.sections.isEmpty)
        #expect(file.buildIDHex == (try readelfBuildID("/bin/ls")))
        #expect(try file.symbols.isEmpty)
        #expect(file.debugLink == nil)
    }

    @Test func notesIncludeABITagAndProperty() throws {
        let notes = try ELFFile.open(path: "/bin/ls").notes
        #expect(notes.contains { $0.name == "GNU" && $0.type == 1 && $0.descriptor.count == 16 })  // NT_GNU_ABI_TAG
        #expect(notes.contains { $0.name == "GNU" && $0.type == 5 })  // NT_GNU_PROPERTY_TYPE_0 (8-aligned)
    }

    @Test func debugLinkOfLs() throws {
        let file = try ELFFile.open(path: "/bin/ls")
        let link = try #require(file.debugLink)
        let section = try #require(file.section(named: ".gnu_debuglink"))
        let data = try file.data(of: section)
        // readelf -p prints the name; the CRC is the last 4 bytes.
        let dump = try runTool("readelf", ["--string-dump=.gnu_debuglink", "/bin/ls"])
        #expect(dump.contains(link.name))
        #expect(link.name.hasSuffix(".debug"))
        #expect(link.crc == data.loadUnaligned(fromByteOffset: data.count - 4, as: UInt32.self))
    }

    @Test func noDebugLinkWithoutSection() throws {
        #expect(try ELFFile.open(path: try CFixture.get().executable).debugLink == nil)
    }

    @Test func crcMatchesKnownVector() {
        let bytes = Array("123456789".utf8)
        #expect(bytes.withUnsafeBytes { gnuDebugLinkCRC($0) } == 0xcbf4_3926)
        #expect([UInt8]().withUnsafeBytes { gnuDebugLinkCRC($0) } == 0)
    }
}
