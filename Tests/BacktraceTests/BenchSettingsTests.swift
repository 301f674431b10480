import Foundation
import Testing
import TestSupport

/// The benchmark times gdb with the settings the agreement tests compare
/// against: the same `frame-arguments` (and every other `set`), or the
/// benchmark would time a gdb doing more or less work than the one measured.
@Suite struct BenchSettingsTests {
    static let benchScript = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scripts/bench.py").path

    @Test func benchRunsGDBWithTheTestsSettings() throws {
        let text = try String(contentsOfFile: Self.benchScript, encoding: .utf8)
        let start = try #require(text.range(of: "GDB_SETTINGS = [\n"), "no GDB_SETTINGS list in scripts/bench.py")
        let end = try #require(text.range(of: "\n]", range: start.upperBound..<text.endIndex))
        let settings = text[start.upperBound..<end.lowerBound].split(separator: "\n").map {
            $0.trimmingCharacters(in: CharacterSet(charactersIn: " ,\""))
        }
        #expect(settings == GDBReference.settings)
        #expect(settings.contains("set print frame-arguments none"))
    }
}
