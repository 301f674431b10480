import Foundation

/// Runs a tool (a path, or a name looked up on PATH) and returns its stdout;
/// throws with its stderr if it fails. For the build and inspection tools
/// tests lean on: gcc, objcopy, readelf, addr2line, gdb.
@discardableResult
public func runTool(_ tool: String, _ arguments: [String], stdin: String? = nil) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: tool.hasPrefix("/") ? tool : "/usr/bin/env")
    process.arguments = tool.hasPrefix("/") ? arguments : [tool] + arguments
    let out = Pipe(), err = Pipe(), input = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = input
    try process.run()
    if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
    try input.fileHandleForWriting.close()
    // Drain stderr on its own thread so neither pipe can fill and stall the tool.
    nonisolated(unsafe) var errors = Data()
    let errorReader = Thread { errors = err.fileHandleForReading.readDataToEndOfFile() }
    errorReader.start()
    let output = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    while !errorReader.isFinished { usleep(1000) }
    guard process.terminationStatus == 0 else {
        throw ToolFailure(message: "\(tool) \(arguments.joined(separator: " ")): \(String(decoding: errors, as: UTF8.self))")
    }
    return String(decoding: output, as: UTF8.self)
}

public struct ToolFailure: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

/// A fresh directory under the temporary directory; callers remove it.
public func makeTempDirectory(_ tag: String) throws -> String {
    let path = NSTemporaryDirectory() + "lwpscope-test-\(tag)-\(getpid())-\(UInt32.random(in: 0 ... .max))"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}
