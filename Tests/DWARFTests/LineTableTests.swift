import Foundation
import Testing
import TestSupport
@testable import DWARF
import ELF

@Suite struct LineTableTests {
    /// gdb's `info line *ADDR` is the model for the innermost line; check it directly.
    @Test(arguments: CompiledProgramTests.builds)
    func innermostLineMatchesGDB(_ build: CompiledProgramTests.Build) throws {
        let binary = try InlineProgram.build(compiler: build.compiler, flags: build.flags, tag: "gdb")
        defer { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: binary).deletingLastPathComponent().path) }
        let info = try #require(DebugInfo(elf: try ELFFile.open(path: binary)))
        let addresses = try InlineProgram.addresses(binary: binary).enumerated().filter { $0.offset % 3 == 0 }.map(\.element)
        let gdb = try gdbLines(binary: binary, addresses: addresses)
        var problems: [String] = []
        for address in addresses {
            let ours = info.location(at: address).map { "\(URL(fileURLWithPath: $0.file).lastPathComponent):\($0.line)" }
            let theirs = (gdb[address] ?? nil).map { "\($0.file):\($0.line)" }
            if ours != theirs { problems.append("\(hex(address)): ours \(ours ?? "none") gdb \(theirs ?? "none")") }
            #expect(info.frames(at: address).first?.location == info.location(at: address))
        }
        #expect(gdb.count == addresses.count)
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    /// Without .debug_info the line table alone still answers: one frame, no function.
    @Test(arguments: [["-O2", "-g", "-gdwarf-4"], ["-O2", "-g", "-gdwarf-5"]])
    func lineTableWithoutDebugInfo(_ flags: [String]) throws {
        let binary = try InlineProgram.build(compiler: "gcc", flags: flags, tag: "lineonly")
        let dir = URL(fileURLWithPath: binary).deletingLastPathComponent().path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let stripped = dir + "/lines-only"
        try runTool("objcopy", ["--remove-section=.debug_info", "--remove-section=.debug_abbrev",
                            "--remove-section=.debug_aranges", binary, stripped])
        let full = try #require(DebugInfo(elf: try ELFFile.open(path: binary)))
        let linesOnly = try #require(DebugInfo(elf: try ELFFile.open(path: stripped)))
        var checked = 0
        for address in try InlineProgram.addresses(binary: binary) {
            let expected = full.location(at: address)
            let got = linesOnly.location(at: address)
            // Without the unit there is no DW_AT_comp_dir: compare what the table itself names.
            #expect(got?.line == expected?.line, "\(hex(address))")
            #expect(got.map { URL(fileURLWithPath: $0.file).lastPathComponent } == expected.map { URL(fileURLWithPath: $0.file).lastPathComponent })
            let frames = linesOnly.frames(at: address)
            #expect(frames == (got.map { [SourceFrame(function: nil, location: $0, isInline: false)] } ?? []))
            if got != nil { checked += 1 }
        }
        #expect(checked > 20)
    }

    @Test func noDebugSectionsMeansNoDebugInfo() throws {
        let binary = try InlineProgram.build(compiler: "gcc", flags: ["-O2"], tag: "nodebug")
        defer { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: binary).deletingLastPathComponent().path) }
        #expect(DebugInfo(elf: try ELFFile.open(path: binary)) == nil)
    }
}
