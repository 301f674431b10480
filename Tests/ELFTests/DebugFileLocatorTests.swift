import Foundation
import Testing
import TestSupport
@testable import ELF

@Suite struct DebugFileLocatorTests {
    /// A stripped library with a debuglink to `name`, plus the debug file, in a fresh directory.
    func makeStrippedPair(_ tag: String) throws -> (dir: String, stripped: String, debug: [UInt8], linkName: String) {
        let fixture = try CFixture.get()
        let dir = try makeTempDirectory(tag)
        let debug = dir + "/libfixture.so.debug"
        let stripped = dir + "/libfixture.so"
        try runTool("objcopy", ["--only-keep-debug", fixture.library, debug])
        try runTool("objcopy", ["--strip-all", "--add-gnu-debuglink=" + debug, fixture.library, stripped])
        let debugBytes = try readBytes(debug)
        try FileManager.default.removeItem(atPath: debug)
        return (dir, stripped, debugBytes, "libfixture.so.debug")
    }

    @Test func findsDebugLinkBesideInDotDebugAndUnderRoot() throws {
        let pair = try makeStrippedPair("debuglink")
        let file = try ELFFile.open(path: pair.stripped)
        let link = try #require(file.debugLink)
        #expect(link.name == pair.linkName)
        #expect(pair.debug.withUnsafeBytes { gnuDebugLinkCRC($0) } == link.crc)
        #expect(try file.symbols.symbols(named: "static_helper").isEmpty)

        let root = try makeTempDirectory("root")
        let locator = DebugFileLocator(debugRoot: root)
        #expect(locator.locate(for: file, at: pair.stripped) == nil)  // nothing there yet

        let places = [
            pair.dir + "/" + pair.linkName,
            pair.dir + "/.debug/" + pair.linkName,
            root + pair.dir + "/" + pair.linkName,
        ]
        for place in places {
            try FileManager.default.createDirectory(atPath: (place as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try writeBytes(pair.debug, to: place)
            let found = try #require(locator.locate(for: file, at: pair.stripped), "\(place)")
            #expect(found.path == place)
            #expect(found.method == .debugLink)
            // The debug file has the full symbol table the stripped one lacks.
            let helper = try #require(try found.file.symbols.symbols(named: "static_helper").first)
            #expect(helper.binding == .local)
            #expect(found.file.buildID == file.buildID)

            // Corrupt one byte: CRC mismatch, so not found.
            var corrupt = pair.debug
            corrupt[corrupt.count / 2] ^= 0xff
            try writeBytes(corrupt, to: place)
            #expect(locator.locate(for: file, at: pair.stripped) == nil, "corrupt \(place)")
            try FileManager.default.removeItem(atPath: place)
        }
    }

    @Test func findsByBuildIDFirstAndChecksIt() throws {
        let pair = try makeStrippedPair("buildid")
        let file = try ELFFile.open(path: pair.stripped)
        let id = try #require(file.buildIDHex)
        let root = try makeTempDirectory("bidroot")
        let locator = DebugFileLocator(debugRoot: root)
        let expectedPath = "\(root)/.build-id/\(id.prefix(2))/\(id.dropFirst(2)).debug"
        #expect(locator.buildIDPath(for: try #require(file.buildID)) == expectedPath)

        try FileManager.default.createDirectory(atPath: "\(root)/.build-id/\(id.prefix(2))", withIntermediateDirectories: true)
        try writeBytes(pair.debug, to: expectedPath)
        // Also a debuglink candidate beside it; build-id wins.
        try writeBytes(pair.debug, to: pair.dir + "/" + pair.linkName)
        let found = try #require(locator.locate(for: file, at: pair.stripped))
        #expect(found.method == .buildID)
        #expect(found.path == expectedPath)

        // A file with another build-id at that path is rejected; the debuglink still works.
        try FileManager.default.copyItem(atPath: "/bin/ls", toPath: expectedPath + ".tmp")
        try FileManager.default.removeItem(atPath: expectedPath)
        try FileManager.default.moveItem(atPath: expectedPath + ".tmp", toPath: expectedPath)
        let fallback = try #require(locator.locate(for: file, at: pair.stripped))
        #expect(fallback.method == .debugLink)
        #expect(fallback.path == pair.dir + "/" + pair.linkName)
    }

    @Test func candidateOrderIsGDBs() {
        let locator = DebugFileLocator(debugRoot: "/dbg")
        let candidates = locator.debugLinkCandidates(name: "x.debug", objectPath: "/nonexistent/dir/x.so")
        #expect(candidates == ["/nonexistent/dir/x.debug", "/nonexistent/dir/.debug/x.debug", "/dbg/nonexistent/dir/x.debug"])
        #expect(DebugFileLocator().debugRoot == "/usr/lib/debug")
        #expect(locator.buildIDPath(for: [0xab, 0xcd, 0xef]) == "/dbg/.build-id/ab/cdef.debug")
        #expect(locator.buildIDPath(for: [0xab]) == nil)
    }
}
