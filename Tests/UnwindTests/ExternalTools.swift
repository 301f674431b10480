import ELF
import Foundation
@testable import Unwind

/// Runs the binutils and gcc the real-code tests lean on. (When the ELF reader
/// lands, section extraction switches to it.)
enum ExternalTools {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static func available(_ tool: String) -> Bool {
        ["/usr/bin/\(tool)", "/bin/\(tool)", "/usr/local/bin/\(tool)"].contains { FileManager.default.isExecutableFile(atPath: $0) }
    }

    @discardableResult
    static func run(_ tool: String, _ args: [String], allowFailureWithOutput: Bool = false) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [tool] + args
        let out = Pipe()
        let err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        // Read before waiting so a large output cannot fill the pipe and stall.
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        // readelf exits 1 over libc's frames (a warning it does not print) yet
        // writes the full dump; such callers accept output over status.
        guard p.terminationStatus == 0 || (allowFailureWithOutput && !data.isEmpty) else {
            throw Failure(description: "\(tool) \(args.joined(separator: " ")) failed: \(String(decoding: errData, as: UTF8.self))")
        }
        return String(decoding: data, as: UTF8.self)
    }

    static func removeTemporaryDirectory(_ url: URL) {
        try? FileManager.default.removeItem(at: url)
    }

    static func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("unwind-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    struct Section {
        let name: String
        let address: FileAddress
        let bytes: [UInt8]
    }

    /// Section addresses from `readelf -S --wide`, bytes from `objcopy -O binary`.
    static func sections(_ names: [String], of binary: String, scratch: URL) throws -> [String: Section] {
        let listing = try run("readelf", ["-S", "--wide", binary])
        var result: [String: Section] = [:]
        for line in listing.split(separator: "\n") {
            guard let close = line.firstIndex(of: "]") else { continue }
            let fields = line[line.index(after: close)...].split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 5, names.contains(String(fields[0])),
                  let address = UInt64(fields[2], radix: 16).map(FileAddress.init) else { continue }
            let name = String(fields[0])
            let out = scratch.appendingPathComponent("section\(name)")
            try run("objcopy", ["-O", "binary", "--only-section=\(name)", binary, out.path])
            let data = try Data(contentsOf: out)
            result[name] = Section(name: name, address: address, bytes: [UInt8](data))
        }
        return result
    }

    /// An UnwindTable over a binary's .eh_frame_hdr/.eh_frame (and .debug_frame).
    static func table(for binary: String, scratch: URL, useHeader: Bool = true) throws -> UnwindTable {
        let s = try sections([".eh_frame_hdr", ".eh_frame", ".debug_frame"], of: binary, scratch: scratch)
        defer { for name in s.keys { try? FileManager.default.removeItem(at: scratch.appendingPathComponent("section\(name)")) } }
        guard let eh = s[".eh_frame"] else { throw Failure(description: "no .eh_frame in \(binary)") }
        return makeTable(ehFrame: eh.bytes, ehFrameAddress: eh.address,
                         header: useHeader ? s[".eh_frame_hdr"]?.bytes : nil,
                         headerAddress: s[".eh_frame_hdr"]?.address ?? 0,
                         debugFrame: s[".debug_frame"]?.bytes)
    }
}

/// `readelf --debug-dump=frames-interp` rows, for comparing against ours.
struct FramesInterp {
    struct Row {
        let loc: UInt64
        let cfa: String
        /// Column name → readelf's rule text ("c-16", "u", "exp", ...).
        let columns: [(String, String)]
    }
    struct FDE {
        let pcBegin: UInt64
        let pcEnd: UInt64
        var rows: [Row]
    }

    var fdes: [FDE] = []

    init(_ text: String) {
        var current: FDE? = nil
        var header: [String] = []
        for lineSub in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let line = String(lineSub)
            // readelf spells a register rule "r5 (rdi)": glue the name back on.
            var tokens: [String] = []
            for t in line.split(separator: " ", omittingEmptySubsequences: true) {
                if t.hasPrefix("("), let last = tokens.popLast() { tokens.append(last + " " + t) } else { tokens.append(String(t)) }
            }
            if tokens.count >= 6, tokens[3] == "FDE", let pcField = tokens.last, pcField.hasPrefix("pc=") {
                if let c = current { fdes.append(c) }
                let parts = pcField.dropFirst(3).split(separator: ".", omittingEmptySubsequences: true)
                current = FDE(pcBegin: UInt64(parts[0], radix: 16) ?? 0, pcEnd: UInt64(parts[1], radix: 16) ?? 0, rows: [])
                header = []
            } else if tokens.count >= 4, tokens[3] == "CIE" {
                if let c = current { fdes.append(c) }
                current = nil
            } else if tokens.first == "LOC" {
                header = Array(tokens.dropFirst(2))
            } else if current != nil, tokens.count >= 2, tokens[0].count == 16, let loc = UInt64(tokens[0], radix: 16) {
                let cols = Array(zip(header, tokens.dropFirst(2)))
                current!.rows.append(Row(loc: loc, cfa: tokens[1], columns: cols))
            }
        }
        if let c = current { fdes.append(c) }
    }

    static let x86_64Names = ["rax", "rdx", "rcx", "rbx", "rsi", "rdi", "rbp", "rsp",
                              "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "ra"]

    static func describe(_ cfa: CFARule) -> String {
        switch cfa {
        case .undefined: return "undefined"
        case .registerOffset(let r, let off):
            let name = r < x86_64Names.count ? x86_64Names[r] : "r\(r)"
            return "\(name)\(off >= 0 ? "+" : "")\(off)"
        case .expression: return "exp"
        }
    }

    /// readelf's spelling of our rule ("u" covers both undefined and unspecified).
    static func describe(_ rule: RegisterRule) -> String {
        switch rule {
        case .unspecified, .undefined: return "u"
        case .sameValue: return "s"
        case .offset(let n): return "c\(n >= 0 ? "+" : "")\(n)"
        case .valOffset(let n): return "v\(n >= 0 ? "+" : "")\(n)"
        case .register(let r): return "r\(r) (\(r < 16 ? x86_64Names[r] : r == 16 ? "rip" : "?"))"
        case .expression: return "exp"
        case .valExpression: return "vexp"
        }
    }

    /// Differences between readelf's rows and our table's, as readable lines.
    static func mismatches(_ interp: FramesInterp, table: UnwindTable, limit: Int = 20) -> (checked: Int, problems: [String]) {
        var problems: [String] = []
        var checked = 0
        for fde in interp.fdes {
            for (i, r) in fde.rows.enumerated() {
                // Check the first and the last byte each row covers.
                let last = (i + 1 < fde.rows.count ? fde.rows[i + 1].loc : fde.pcEnd) &- 1
                for pc in Set([r.loc, max(r.loc, last)]) {
                    checked += 1
                    let row: UnwindRow
                    do {
                        guard let found = try table.row(for: FileAddress(pc)) else {
                            problems.append("0x\(String(pc, radix: 16)): no row")
                            continue
                        }
                        row = found
                    } catch {
                        problems.append("0x\(String(pc, radix: 16)): \(error)")
                        continue
                    }
                    var ours = "CFA=\(describe(row.cfa))"
                    var theirs = "CFA=\(r.cfa)"
                    for (name, text) in r.columns {
                        guard let reg = x86_64Names.firstIndex(of: name) else { continue }
                        ours += " \(name)=\(describe(row[reg]))"
                        theirs += " \(name)=\(text)"
                    }
                    if ours != theirs {
                        problems.append("0x\(String(pc, radix: 16)): ours \(ours) readelf \(theirs)")
                    }
                    if problems.count >= limit { return (checked, problems) }
                }
            }
        }
        return (checked, problems)
    }
}
