import Foundation

/// objdump's disassembly of a file, the reference the decoder is checked
/// against: each instruction's address, bytes and text, and the bytes of
/// each contiguous run of code (so an instruction can be decoded with what
/// really follows it).
struct ObjdumpListing {
    struct Line {
        let address: UInt64
        let bytes: [UInt8]
        /// Mnemonic and operands, objdump's AT&T syntax.
        let text: String
    }

    /// Code laid out contiguously from `start`.
    struct Run {
        let start: UInt64
        var bytes: [UInt8]
    }

    var lines: [Line] = []
    var runs: [Run] = []

    /// Runs `objdump -d` on `path`: `-z` so runs of zeros are listed, wide
    /// enough that every instruction's bytes sit on its line, Intel64 mode
    /// (66 on near branches is ignored, as our decoder assumes).
    static func disassemble(_ path: String) throws -> ObjdumpListing {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/objdump")
        process.arguments = ["-d", "-z", "-M", "intel64", "--insn-width=16", path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw ObjdumpFailed(path: path, status: process.terminationStatus) }
        return parse([UInt8](output))
    }

    struct ObjdumpFailed: Error { let path: String; let status: Int32 }

    /// Instruction lines look like "   26000:\tff 35 ea cf 1a 00   \tpush   0x1acfea(%rip)  # 1d2ff0 <x>".
    static func parse(_ text: [UInt8]) -> ObjdumpListing {
        var listing = ObjdumpListing()
        var lineStart = 0
        while lineStart < text.count {
            var lineEnd = lineStart
            while lineEnd < text.count, text[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
            if let line = parseLine(text[lineStart..<lineEnd]) { listing.add(line) }
            lineStart = lineEnd + 1
        }
        return listing
    }

    private mutating func add(_ line: Line) {
        lines.append(line)
        if var last = runs.last, last.start + UInt64(last.bytes.count) == line.address {
            runs.removeLast()
            last.bytes += line.bytes
            runs.append(last)
        } else {
            runs.append(Run(start: line.address, bytes: line.bytes))
        }
    }

    private static func parseLine(_ line: ArraySlice<UInt8>) -> Line? {
        var index = line.startIndex
        while index < line.endIndex, line[index] == UInt8(ascii: " ") { index += 1 }
        var address: UInt64 = 0
        var digits = 0
        while index < line.endIndex, let digit = hexDigit(line[index]) {
            address = address << 4 | UInt64(digit)
            digits += 1
            index += 1
        }
        guard digits > 0, index + 1 < line.endIndex, line[index] == UInt8(ascii: ":"), line[index + 1] == UInt8(ascii: "\t")
        else { return nil }
        index += 2
        var bytes: [UInt8] = []
        while index + 1 < line.endIndex, let high = hexDigit(line[index]), let low = hexDigit(line[index + 1]) {
            bytes.append(high << 4 | low)
            index += 2
            if index < line.endIndex, line[index] == UInt8(ascii: " ") { index += 1 }
        }
        while index < line.endIndex, line[index] == UInt8(ascii: " ") || line[index] == UInt8(ascii: "\t") { index += 1 }
        guard !bytes.isEmpty else { return nil }
        return Line(address: address, bytes: bytes, text: String(decoding: line[index...], as: UTF8.self))
    }

    private static func hexDigit(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
        default: nil
        }
    }

    /// Up to 15 bytes of code from `line`'s address on (fewer at a run's end).
    func bytes(from line: Line, runIndex: inout Int) -> ArraySlice<UInt8> {
        while runIndex < runs.count, runs[runIndex].start + UInt64(runs[runIndex].bytes.count) <= line.address { runIndex += 1 }
        let run = runs[runIndex]
        let start = Int(line.address - run.start)
        return run.bytes[start..<min(start + 15, run.bytes.count)]
    }
}
