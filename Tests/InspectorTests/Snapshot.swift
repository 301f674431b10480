import Foundation
import Testing

/// Golden text files under Snapshots/. `LWPSCOPE_RECORD_SNAPSHOTS=1 swift test`
/// rewrites them; read each rewritten file before committing it.
enum Snapshot {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")

    static var recording: Bool { ProcessInfo.processInfo.environment["LWPSCOPE_RECORD_SNAPSHOTS"] == "1" }

    /// Trailing blanks are dropped so editors cannot break the files; the
    /// width of every line is checked by the layout tests instead.
    static func normalized(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { line in
                var line = Substring(line)
                while line.last == " " { line = line.dropLast() }
                return String(line)
            }
            .joined(separator: "\n") + "\n"
    }

    static func check(_ text: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = directory.appendingPathComponent(name + ".txt")
        let actual = normalized(text)
        if recording {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try actual.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            Issue.record("no snapshot \(name).txt; record it with LWPSCOPE_RECORD_SNAPSHOTS=1", sourceLocation: sourceLocation)
            return
        }
        #expect(actual == expected, "snapshot \(name) differs:\n\(actual)", sourceLocation: sourceLocation)
    }
}
