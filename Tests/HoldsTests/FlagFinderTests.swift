import ELF
import Backtraces
import Foundation
import Holds
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Flags found in live fixtures, checked against the values the fixture set.
@Suite(.timeLimit(.minutes(8))) struct FlagFinderTests {
    static let arguments = ["--spinners", "2", "--static-spinners", "1"]
    /// main, 2 spinners, 1 static spinner, sleeper, condwait, reader, 7 workers: all but main park.
    static let parkedThreads: Int64 = 13

    @Test(arguments: ["fixture-threads-fp", "fixture-threads-nofp"])
    func clangFlagsAreFoundWithTheirLiveValues(fixture: String) throws {
        let path = BuiltProducts.path(fixture)
        let child = try ChildProcess(path: path, arguments: Self.arguments)
        try child.waitForLine(startingWith: "ready")
        let space = try addressSpace(child.pid)
        let flags = try HoldFlagFinder().find(in: space)
        #expect(flags.map(\.name) == ["hold", "spin_on_static_hold.hold"])
        #expect(flags.map(\.displayName) == ["hold", "hold (in spin_on_static_hold)"])
        #expect(flags.map(\.scope) == [.global, .functionStatic])
        for flag in flags {
            #expect(flag.modulePath == path)
            #expect(flag.size == 4)
            #expect(flag.variableName == "hold")
            // The bias comes from the code mapping; the value proves it holds for data too.
            #expect(liveValue(of: flag, pid: child.pid) == 1, "\(flag)")
        }
        let references = FlagReferenceScanner().references(to: flags, in: space)
        #expect(referencingNames(references) == ["hold": ["spin_on_hold"], "spin_on_static_hold.hold": ["spin_on_static_hold"]])
        for reference in references {
            #expect(!reference.moduleCode.isEmpty)
            for function in reference.functions {
                #expect(reference.moduleCode.contains { $0.contains(function.range.lowerBound) })
                #expect(LoadBias(runtime: function.range.lowerBound, file: function.linkRange.lowerBound) == reference.flag.loadBias)
            }
        }
    }

    @Test func gccFunctionStaticIsOwnedByTheFunctionUsingIt() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = try gccFixture(in: dir)
        let child = try startFreshBinary(path, arguments: Self.arguments)
        try child.waitForLine(startingWith: "ready")
        let space = try addressSpace(child.pid)
        let flags = try HoldFlagFinder().find(in: space)
        try #require(flags.count == 2, "\(flags)")
        #expect(flags[0].name == "hold")
        #expect(flags[1].name.hasPrefix("hold."), "gcc's spelling: \(flags[1].name)")
        #expect(flags.map(\.displayName) == ["hold", "hold (in spin_on_static_hold)"])
        #expect(flags.map(\.scope) == [.global, .functionStatic])
        #expect(flags.allSatisfy { $0.size == 4 && $0.modulePath == path })
        #expect(flags.map { liveValue(of: $0, pid: child.pid) } == [1, 1])
        let references = FlagReferenceScanner().references(to: flags, in: space)
        #expect(references.map { $0.functions.map(\.sourceName) } == [["spin_on_hold"], ["spin_on_static_hold"]])
    }

    @Test func userNamedFlagIsFoundByModuleAndName() throws {
        let path = BuiltProducts.path("fixture-threads-nofp")
        let child = try ChildProcess(path: path, arguments: Self.arguments)
        try child.waitForLine(startingWith: "ready")
        let space = try addressSpace(child.pid)
        let finder = HoldFlagFinder()
        for text in ["fixture-threads-nofp:parked_threads", "\(path):parked_threads", "parked_threads"] {
            let flags = try finder.find(in: space, extraNames: [try FlagName(parsing: text)])
            #expect(flags.map(\.name) == ["hold", "parked_threads", "spin_on_static_hold.hold"], "\(text)")
            let user = try #require(flags.first { $0.name == "parked_threads" })
            #expect(user.scope == .fileStatic)
            #expect(user.displayName == "parked_threads")
            #expect(liveValue(of: user, pid: child.pid) == Self.parkedThreads)
        }
        // Naming an automatic flag again does not list it twice.
        #expect(try finder.find(in: space, extraNames: [FlagName(symbol: "hold")]).count == 2)
    }

    @Test func userNamesThatCannotBeFlagsGiveTypedErrors() throws {
        let child = try ChildProcess(path: BuiltProducts.path("fixture-threads-nofp"))
        try child.waitForLine(startingWith: "ready")
        let space = try addressSpace(child.pid)
        let finder = HoldFlagFinder()
        let mutex = FlagName(symbol: "never_mutex")
        #expect(throws: HoldFlagError.unsupportedSize(mutex, size: 40)) { try finder.find(in: space, extraNames: [mutex]) }
        let missing = FlagName(symbol: "no_such_flag")
        #expect(throws: HoldFlagError.symbolNotFound(missing)) { try finder.find(in: space, extraNames: [missing]) }
        // A function is not a data symbol.
        let function = FlagName(module: "fixture-threads-nofp", symbol: "spin_on_hold")
        #expect(throws: HoldFlagError.symbolNotFound(function)) { try finder.find(in: space, extraNames: [function]) }
        do {
            _ = try finder.find(in: space, extraNames: [FlagName(module: "libnope.so", symbol: "hold")])
            Issue.record("an unloaded module was accepted")
        } catch {
            guard case .moduleNotLoaded(let module, let loaded) = error else { throw error }
            #expect(module == "libnope.so")
            #expect(loaded.contains(BuiltProducts.path("fixture-threads-nofp")))
        }
    }

    /// crtstuff's `completed.0` is in every module linked with it that keeps a
    /// .symtab: the Swift runtime libraries of this test process, at least.
    @Test func nameInSeveralModulesIsAmbiguous() throws {
        let space = try addressSpace(getpid())
        let finder = HoldFlagFinder()
        let name = FlagName(symbol: "completed.0")
        var candidates: [String] = []
        do {
            _ = try finder.find(in: space, extraNames: [name])
        } catch {
            guard case .ambiguous(let named, let listed) = error else { throw error }
            #expect(named == name)
            candidates = listed
        }
        try #require(candidates.count >= 2, "needs two modules with completed.0 in .symtab")
        #expect(candidates.allSatisfy { $0.hasSuffix(":completed.0") })
        // Naming the module settles it (a library: the test binary's text is huge in debug builds).
        let first = try #require(candidates.first { $0.contains(".so") } ?? candidates.first)
        let module = String(first.dropLast(":completed.0".count))
        let flags = try finder.find(in: space, extraNames: [FlagName(module: module, symbol: "completed.0")])
        let chosen = flags.filter { $0.name == "completed.0" }
        #expect(chosen.count >= 1 && chosen.allSatisfy { $0.modulePath == module && $0.size == 1 && $0.scope == .functionStatic })
    }

    @Test func strippedBinaryHasNoFlags() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/stripped-fixture"
        try FileManager.default.copyItem(atPath: BuiltProducts.path("fixture-threads-nofp"), toPath: path)
        let strip = try run("/usr/bin/strip", ["--strip-all", path])
        try #require(strip.exitCode == 0, "strip: \(strip.stderr)")
        let child = try startFreshBinary(path, arguments: Self.arguments)
        try child.waitForLine(startingWith: "ready")
        let space = try addressSpace(child.pid)
        #expect(space.regions.contains { $0.path == path && $0.module != nil })
        let flags = try HoldFlagFinder().find(in: space)
        #expect(flags.isEmpty, "\(flags)")
        let name = FlagName(module: "stripped-fixture", symbol: "hold")
        #expect(throws: HoldFlagError.symbolNotFound(name)) { try HoldFlagFinder().find(in: space, extraNames: [name]) }
    }
}
