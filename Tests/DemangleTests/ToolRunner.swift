import Foundation

/// Runs the external tools the tests compare against (c++filt, nm, g++,
/// rustc, swift demangle).
enum ToolRunner {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Runs `tool` (looked up on PATH) and returns its stdout; throws on a
    /// non-zero exit.
    @discardableResult
    static func run(_ tool: String, _ arguments: [String], input: String? = nil,
                    directory: URL? = nil) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        if let directory { process.currentDirectoryURL = directory }
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        let stdin = Pipe()
        process.standardInput = stdin
        try process.run()
        // Write input on another thread so a full stdout pipe cannot deadlock us.
        let writer = Thread {
            if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
            try? stdin.fileHandleForWriting.close()
        }
        writer.start()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        let errors = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "\(tool) \(arguments) exited \(process.terminationStatus): "
                + String(decoding: errors, as: UTF8.self))
        }
        return String(decoding: output, as: UTF8.self)
    }

    static func isAvailable(_ tool: String) -> Bool {
        (try? run("sh", ["-c", "command -v \(tool)"])) != nil
    }

    /// Demangles each name with `c++filt <options>`, one per line.
    static func cxxfilt(_ names: [String], options: [String] = []) throws -> [String] {
        let output = try run("c++filt", options, input: names.joined(separator: "\n") + "\n")
        return output.split(separator: "\n", omittingEmptySubsequences: false).prefix(names.count).map(String.init)
    }

    /// Symbol names (defined and undefined) in an object or executable.
    static func symbols(in file: String) throws -> [String] {
        try run("nm", ["--format=just-symbols", file])
            .split(separator: "\n").map(String.init)
    }

    /// A fresh scratch directory removed by the caller.
    static func scratchDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("demangle-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
