import Foundation
import Testing
import TestSupport
@testable import DWARF
import ELF

func hex(_ address: UInt64) -> String { "0x" + String(address, radix: 16) }
func hex(_ address: FileAddress) -> String { hex(address.rawValue) }

/// One frame as addr2line -f -i prints it: function, then file:line.
struct ReferenceFrame: Equatable, CustomStringConvertible {
    var function: String?
    var fileName: String?
    var line: Int?

    var description: String { "\(function ?? "??") \(fileName ?? "??"):\(line.map(String.init) ?? "?")" }

    init(function: String?, fileName: String?, line: Int?) {
        self.function = function
        self.fileName = fileName
        self.line = line
    }

    /// Ours, reduced to what addr2line shows: the file's last component.
    init(_ frame: SourceFrame) {
        function = frame.function
        fileName = frame.location.map { URL(fileURLWithPath: $0.file).lastPathComponent }
        line = frame.location?.line
    }
}

/// A tool that prints frames the way `addr2line -f -i -a` does.
enum ReferenceSymbolizer: Sendable {
    case addr2line
    /// For clang's DWARF 5, which binutils 2.40's addr2line misreads (wrong
    /// files, lost inline levels): LLVM's own symbolizer in addr2line's format.
    case llvmSymbolizer

    static let llvmSymbolizerPath = "/opt/swift/usr/bin/llvm-symbolizer"

    func command(binary: String) -> (tool: String, arguments: [String]) {
        switch self {
        case .addr2line: ("addr2line", ["-e", binary, "-f", "-i", "-a"])
        case .llvmSymbolizer: (Self.llvmSymbolizerPath, ["--obj=\(binary)", "--inlining", "--functions=linkage", "--output-style=GNU", "-a"])
        }
    }
}

/// `addr2line -e BIN -f -i -a` (or its stand-in) for many addresses in one run.
func addr2lineFrames(binary: String, addresses: [FileAddress], tool: ReferenceSymbolizer = .addr2line) throws -> [FileAddress: [ReferenceFrame]] {
    let command = tool.command(binary: binary)
    let output = try runTool(command.tool, command.arguments, stdin: addresses.map(hex).joined(separator: "\n") + "\n")
    var result: [FileAddress: [ReferenceFrame]] = [:]
    var current: FileAddress?
    var pending: String?
    for lineSub in output.split(separator: "\n", omittingEmptySubsequences: false) {
        let line = String(lineSub)
        if line.hasPrefix("0x"), pending == nil, let address = UInt64(line.dropFirst(2), radix: 16).map(FileAddress.init) {
            current = address
            result[address] = []
            continue
        }
        guard let address = current else { continue }
        if let function = pending {
            pending = nil
            // "file:line (discriminator N)" or "??:0" / "??:?".
            var place = line
            if let space = place.range(of: " (discriminator") { place = String(place[..<space.lowerBound]) }
            let colon = place.lastIndex(of: ":")
            let file = colon.map { String(place[..<$0]) } ?? place
            let number = colon.flatMap { Int(place[place.index(after: $0)...]) }
            result[address]!.append(ReferenceFrame(
                function: function == "??" ? nil : function,
                fileName: file == "??" ? nil : URL(fileURLWithPath: file).lastPathComponent,
                line: number == 0 ? nil : number))
        } else if !line.isEmpty {
            pending = line
        }
    }
    return result
}

/// gdb's `info line *ADDR` for many addresses: file basename and line, nil when gdb has none.
func gdbLines(binary: String, addresses: [FileAddress]) throws -> [FileAddress: (file: String, line: Int)?] {
    guard !addresses.isEmpty else { return [:] }
    let commands = addresses.flatMap { ["-ex", "echo @@\(hex($0))\\n", "-ex", "info line *\(hex($0))"] }
    let output = try runTool("gdb", ["-nx", "-batch"] + commands + [binary])
    var result: [FileAddress: (file: String, line: Int)?] = [:]
    var current: FileAddress?
    for lineSub in output.split(separator: "\n") {
        let line = String(lineSub)
        if line.hasPrefix("@@0x") {
            current = UInt64(line.dropFirst(4), radix: 16).map(FileAddress.init)
            if let current { result[current] = .some(nil) }
        } else if let address = current, line.hasPrefix("Line "),
                  let quoteStart = line.firstIndex(of: "\""),
                  let quoteEnd = line[line.index(after: quoteStart)...].firstIndex(of: "\"") {
            let number = Int(line.dropFirst(5).prefix { $0.isNumber }) ?? 0
            let file = String(line[line.index(after: quoteStart) ..< quoteEnd])
            result[address] = (URL(fileURLWithPath: file).lastPathComponent, number)
            current = nil
        }
    }
    return result
}

/// Start addresses of every instruction inside [start, end), from objdump.
func instructionAddresses(binary: String, start: FileAddress, end: FileAddress) throws -> [FileAddress] {
    let output = try runTool("objdump", ["-d", "--no-show-raw-insn", "--start-address=\(hex(start))",
                                     "--stop-address=\(hex(end))", binary])
    var result: [FileAddress] = []
    for lineSub in output.split(separator: "\n") {
        let trimmed = lineSub.drop { $0 == " " }
        guard let colon = trimmed.firstIndex(of: ":"), lineSub.first == " ",
              let address = UInt64(trimmed[..<colon], radix: 16).map(FileAddress.init) else { continue }
        if address >= start && address < end { result.append(address) }
    }
    return result
}

/// Compares our frames with addr2line's for every address; where they differ
/// on the innermost line only, gdb decides (addr2line and gdb disagree there
/// sometimes, and gdb is what we follow). Returns the differences left.
func disagreements(_ info: DebugInfo, binary: String, addresses: [FileAddress], tool: ReferenceSymbolizer = .addr2line) throws -> [String] {
    let reference = try addr2lineFrames(binary: binary, addresses: addresses, tool: tool)
    var problems: [String] = []
    var innermostOnly: [FileAddress] = []
    for address in addresses {
        let theirs = reference[address] ?? []
        let ours = info.frames(at: address).map(ReferenceFrame.init)
        if ours == theirs { continue }
        // addr2line answers "?? ??:0" where there is nothing; so do our empty frames.
        if ours.isEmpty, theirs.allSatisfy({ $0.function == nil && $0.line == nil }) { continue }
        if ours.count == theirs.count, !ours.isEmpty, Array(ours.dropFirst()) == Array(theirs.dropFirst()),
           ours[0].function == theirs[0].function {
            innermostOnly.append(address)
            continue
        }
        problems.append("\(hex(address)): ours [\(ours.map(\.description).joined(separator: " | "))] addr2line [\(theirs.map(\.description).joined(separator: " | "))]")
    }
    let gdb = try gdbLines(binary: binary, addresses: innermostOnly)
    for address in innermostOnly {
        let ours = info.location(at: address)
        let oursShort = ours.map { (URL(fileURLWithPath: $0.file).lastPathComponent, $0.line) }
        let gdbLine = gdb[address] ?? nil
        if let oursShort, let gdbLine, oursShort == gdbLine { continue }
        problems.append("\(hex(address)): innermost ours \(oursShort.map { "\($0.0):\($0.1)" } ?? "none") gdb \(gdbLine.map { "\($0.file):\($0.line)" } ?? "none") addr2line \(reference[address]?.first?.description ?? "none")")
    }
    return problems
}
