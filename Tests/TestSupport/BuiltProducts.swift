import Foundation

/// Where SwiftPM put the executables: beside the test bundle.
public enum BuiltProducts {
    public static let directory: String = {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var url = URL(fileURLWithPath: exe).deletingLastPathComponent()
        // The test binary may sit inside NAME.xctest/ on some layouts.
        while url.path != "/", !FileManager.default.fileExists(atPath: url.appendingPathComponent("fixture-churn").path) {
            url = url.deletingLastPathComponent()
        }
        return url.path
    }()

    public static func path(_ name: String) -> String { directory + "/" + name }

    /// The package's root directory (where Package.swift is), from this file's path.
    public static let packageRoot: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
}
