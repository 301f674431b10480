import Foundation
import ProcFS
import Testing
import TestSupport

/// The package root, for reading fixture sources.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

/// A path as /proc/PID/maps shows it: symbolic links resolved.
func realPath(_ path: String) -> String {
    URL(fileURLWithPath: path).resolvingSymlinksInPath().path
}

/// fixture-points, started and ready. Its threads call point_target once a
/// minute, so it writes a line per thread and its stdout pipe cannot fill
/// while a test reads symbols and line tables; the caller terminates it.
func startPointsFixture() throws -> ChildProcess {
    let child = try ChildProcess(path: BuiltProducts.path("fixture-points"), arguments: ["--interval-ms", "60000"])
    try child.waitForLine(startingWith: "ready")
    return child
}

/// The 1-based number of the first line of `file` (under the package root) containing `marker`.
func lineNumber(of marker: String, in file: String) throws -> Int {
    let text = try String(contentsOfFile: packageRoot + "/" + file, encoding: .utf8)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    return try #require(lines.firstIndex { $0.contains(marker) }) + 1
}

/// Where a module is loaded in a live process, read independently of the
/// code under test: the start of its mapping at file offset 0 minus the
/// page of its first LOAD segment's address (readelf).
func loadBias(of path: String, pid: Int32) throws -> UInt64 {
    let maps = try #require(ProcFS().memoryMap(pid))
    let first = try #require(maps.filter { $0.path == path && $0.fileOffset == 0 }.map(\.start).min(), "\(path) not mapped")
    let segments = ProcessFileAddresses.parse(programHeaders: try runTool("readelf", ["-lW", path]))
    let firstLoad = try #require(segments.min { $0.offset < $1.offset })
    return first &- (firstLoad.address & ~0xfff)
}

/// gdb run on a module's file (not attached): file addresses as the reference.
enum GDBOnFile {
    static func run(_ binary: String, _ commands: [String]) throws -> String {
        try runTool("gdb", ["-batch", "-nx"] + commands.flatMap { ["-ex", $0] } + [binary])
    }

    /// `info address F`: "Symbol "F" is a function at address 0x…" (or "is at 0x…" without debug info).
    static func functionAddress(_ name: String, in binary: String) throws -> UInt64 {
        let text = try run(binary, ["info address \(name)"])
        return try #require(firstHex(after: ["at address ", " is at "], in: text), "gdb: \(text)")
    }

    /// `info line FILE:LINE`: every "starts at address 0x…" gdb prints.
    static func lineStarts(_ location: String, in binary: String) throws -> [UInt64] {
        let text = try run(binary, ["info line \(location)"])
        return text.split(separator: "\n").compactMap { firstHex(after: ["starts at address "], in: String($0)) }
    }

    /// `break FILE:LINE`: "Breakpoint 1 at 0x…: file …, line N." (where gdb moves a line without code).
    static func breakpoint(_ location: String, in binary: String) throws -> (address: UInt64, line: Int) {
        let text = try run(binary, ["break \(location)"])
        let address = try #require(firstHex(after: ["Breakpoint 1 at "], in: text), "gdb: \(text)")
        let lineText = try #require(text.range(of: ", line ").map { text[$0.upperBound...].prefix { $0.isNumber } })
        return (address, try #require(Int(lineText)))
    }

    static func firstHex(after markers: [String], in text: String) -> UInt64? {
        for marker in markers {
            guard let range = text.range(of: marker + "0x") else { continue }
            return UInt64(text[range.upperBound...].prefix { $0.isHexDigit }, radix: 16)
        }
        return nil
    }
}

/// libc as the fixture maps it.
func libcPath(pid: Int32) throws -> String {
    let maps = try #require(ProcFS().memoryMap(pid))
    return try #require(maps.first { $0.isExecutable && $0.path.hasSuffix("/libc.so.6") }?.path)
}

/// The statement starts of a line as LineResolver defines them, read from
/// objdump's decoded line table (`--dwarf=decodedline`): the first is_stmt
/// row of each run of rows for the file and line. objdump shows file
/// basenames only, so `file` is one.
func objdumpStatementStarts(file: String, line: Int, in path: String) throws -> [UInt64] {
    let text = try runTool("objdump", ["--dwarf=decodedline", path])
    var starts: [UInt64] = []
    var inRun = false, started = false
    for row in text.split(separator: "\n", omittingEmptySubsequences: false) {
        let fields = row.split(separator: " ", omittingEmptySubsequences: true)
        // name, line, address, then a view number and "x" for is_stmt, each optional.
        guard fields.count >= 3, fields[2].hasPrefix("0x"), let address = UInt64(fields[2].dropFirst(2), radix: 16) else {
            inRun = false  // headers and a sequence's end ("-" for the line)
            continue
        }
        let here = fields[0] == Substring(file) && fields[1] == Substring(String(line))
        if !here { inRun = false; continue }
        if !inRun { inRun = true; started = false }
        if !started, fields.last == "x" {
            started = true
            if !starts.contains(address) { starts.append(address) }
        }
    }
    return starts.sorted()
}

/// A module's separate debug file, by its build ID.
func debugFile(of path: String) throws -> String {
    let notes = try runTool("readelf", ["-n", path])
    let id = try #require(notes.range(of: "Build ID: ").map { String(notes[$0.upperBound...].prefix { $0.isHexDigit }) })
    return "/usr/lib/debug/.build-id/\(id.prefix(2))/\(id.dropFirst(2)).debug"
}
