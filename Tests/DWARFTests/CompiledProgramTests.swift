import Foundation
import Synchronization
import Testing
@testable import DWARF
import ELF

/// Our frames for every instruction of a freshly compiled program must match
/// addr2line -f -i (and gdb where the two tools disagree on a line).
@Suite struct CompiledProgramTests {
    static let clang = "/opt/swift/usr/bin/clang"

    struct Build: CustomTestStringConvertible, Sendable {
        let compiler: String
        let flags: [String]
        var reference: ReferenceSymbolizer = .addr2line
        var testDescription: String { "\(URL(fileURLWithPath: compiler).lastPathComponent) \(flags.joined(separator: " "))" }
    }

    static let builds: [Build] = [
        Build(compiler: "gcc", flags: ["-O2", "-g", "-gdwarf-4"]),
        Build(compiler: "gcc", flags: ["-O2", "-g", "-gdwarf-5"]),
        Build(compiler: "gcc", flags: ["-O0", "-g"]),
        Build(compiler: "gcc", flags: ["-O2", "-g", "-gz"]),
        Build(compiler: "gcc", flags: ["-O3", "-g", "-gdwarf-5", "-ffunction-sections", "-fno-dwarf2-cfi-asm"]),
    ] + (FileManager.default.isExecutableFile(atPath: clang) ? [
        Build(compiler: clang, flags: ["-O2", "-g"], reference: .llvmSymbolizer),
        Build(compiler: clang, flags: ["-O2", "-g", "-gdwarf-4"], reference: .llvmSymbolizer),
    ] : [])

    @Test(arguments: builds)
    func framesMatchAddr2line(_ build: Build) throws {
        let binary = try InlineProgram.build(compiler: build.compiler, flags: build.flags, tag: "inline")
        defer { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: binary).deletingLastPathComponent().path) }
        let elf = try ELFFile.open(path: binary)
        let info = try #require(DebugInfo(elf: elf))
        let addresses = try InlineProgram.addresses(binary: binary)
        #expect(addresses.count > 20)
        let problems = try disagreements(info, binary: binary, addresses: addresses, tool: build.reference)
        #expect(problems.isEmpty, "\(problems.count) of \(addresses.count) differ:\n\(problems.prefix(30).joined(separator: "\n"))")
    }

    @Test func inlineChainsAreReallyThere() throws {
        let binary = try InlineProgram.build(compiler: "gcc", flags: ["-O2", "-g"], tag: "chain")
        defer { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: binary).deletingLastPathComponent().path) }
        let info = try #require(DebugInfo(elf: try ELFFile.open(path: binary)))
        let chains = try InlineProgram.addresses(binary: binary).map { info.frames(at: $0) }
        // Some address sits in scale inlined in accumulate inlined in combine inlined in a function.
        let deep = chains.first { frames in
            frames.map(\.function) .starts(with: ["scale", "accumulate", "combine"]) && frames.count == 4
        }
        let frames = try #require(deep)
        #expect(frames.map(\.isInline) == [true, true, true, false])
        #expect(frames.allSatisfy { $0.location?.file.hasPrefix("/") == true })
        #expect(frames[0].location?.file.hasSuffix("/math_inl.h") == true)
        #expect(frames[1].location?.file.hasSuffix("/math_inl.h") == true)
        #expect(frames[3].location.map { $0.file.hasSuffix("/main.c") || $0.file.hasSuffix("/helper.c") } == true)
        // Outer frames sit on the call lines in the header.
        #expect(frames[1].location?.line == 13)
        #expect(frames[2].location?.line == 18)
        #expect(info.location(at: 0) == nil)
        #expect(info.frames(at: FileAddress(.max)).isEmpty)
    }

    @Test func concurrentLookupsAgreeWithSequentialOnes() throws {
        let binary = try InlineProgram.build(compiler: "gcc", flags: ["-O2", "-g", "-gdwarf-5"], tag: "threads")
        defer { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: binary).deletingLastPathComponent().path) }
        let addresses = try InlineProgram.addresses(binary: binary)
        let sequential = try #require(DebugInfo(elf: try ELFFile.open(path: binary)))
        let expected = addresses.map { sequential.frames(at: $0) }
        let shared = try #require(DebugInfo(elf: try ELFFile.open(path: binary)))
        let results = Mutex<[Int: [SourceFrame]]>([:])
        DispatchQueue.concurrentPerform(iterations: addresses.count * 4) { i in
            let index = i % addresses.count
            let frames = shared.frames(at: addresses[index])
            results.withLock { $0[index] = frames }
        }
        let got = results.withLock { $0 }
        #expect(got.count == addresses.count)
        for (index, frames) in got { #expect(frames == expected[index]) }
    }
}
