import Foundation
import InspectorFeed
import Testing

/// The search order and the files that are not source.
@Suite struct SourceFilesTests {
    func directory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lwpscope-sources-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url.appendingPathComponent("src/app"), withIntermediateDirectories: true)
        return url
    }

    @Test func aMappingReplacesOnlyAWholeLeadingPart() {
        let map = SourceFiles.Mapping(old: "/build/src", new: "/home/me/src")
        #expect(SourceFiles.Mapping(argument: "/build/src=/home/me/src") == map)
        #expect(SourceFiles.Mapping(argument: "/build/src/=/home/me/src") != nil)
        #expect(SourceFiles.Mapping(argument: "=x") == nil && SourceFiles.Mapping(argument: "x=") == nil
                && SourceFiles.Mapping(argument: "x") == nil)
        let files = SourceFiles(mappings: [map])
        #expect(files.lookup("/build/src/a.c").tried.first == "/home/me/src/a.c")
        #expect(files.lookup("/build/srcx/a.c").tried.first == "/build/srcx/a.c")
        let trailing = SourceFiles(mappings: [SourceFiles.Mapping(argument: "/build/src/=/elsewhere")!])
        #expect(trailing.lookup("/build/src/a.c").tried.first == "/elsewhere/a.c")
    }

    @Test func directoriesAreSearchedByEverShorterSuffixes() throws {
        let root = try directory()
        defer { try? FileManager.default.removeItem(at: root) }
        try "one\ntwo\r\nthree\n".write(to: root.appendingPathComponent("src/app/main.c"), atomically: true, encoding: .utf8)
        let files = SourceFiles(directories: [root.path])
        guard case .found(let path, let lines) = files.lookup("/gone/build/src/app/main.c") else {
            Issue.record("not found: \(files.lookup("/gone/build/src/app/main.c"))")
            return
        }
        #expect(path == root.path + "/src/app/main.c")
        #expect(lines == ["one", "two", "three"])
        #expect(files.line(2, of: "/gone/build/src/app/main.c") == "two")
        #expect(files.line(4, of: "/gone/build/src/app/main.c") == nil)
        let tried = SourceFiles(directories: [root.path]).lookup("/x/y.c").tried
        #expect(tried == ["/x/y.c", root.path + "/x/y.c", root.path + "/y.c"])
    }

    @Test func binaryFilesAndDirectoriesAreNotSource() throws {
        let root = try directory()
        defer { try? FileManager.default.removeItem(at: root) }
        try Data([0x7F, 0x45, 0x4C, 0x46, 0, 1]).write(to: root.appendingPathComponent("a.c"))
        #expect(SourceFiles().lookup(root.appendingPathComponent("a.c").path).tried.count == 1)
        #expect(SourceFiles().lookup(root.path + "/src").tried.count == 1)
    }
}

extension SourceFiles.Lookup {
    /// The paths tried, for a lookup that found nothing; [] when it found one.
    var tried: [String] {
        if case .notFound(let tried) = self { return tried }
        return []
    }
}
