import ELF
import HoldPoints
import Paths
import Testing
import TestSupport

/// Locations resolved in a live fixture-points, each checked against gdb run
/// on the module's file plus the load bias read from /proc/PID/maps.
@Suite(.serialized) struct FixturePointsResolveTests {
    static let source = "Tests/Fixtures/fixture-points/main.c"

    struct Live {
        let child: ChildProcess
        let resolver: PointResolver
        let binary: String
        let bias: UInt64
        var pid: Int32 { child.pid }

        init() throws {
            child = try startPointsFixture()
            resolver = try PointResolver(pid: child.pid)
            binary = realPath(BuiltProducts.path("fixture-points"))
            bias = try loadBias(of: binary, pid: child.pid)
        }

        func one(_ text: String) throws -> ResolvedPoint {
            let points = try resolver.resolve(text)
            try #require(points.count == 1, "\(text): \(points)")
            return points[0]
        }
    }

    @Test func functionByNameIsItsEntry() throws {
        let live = try Live()
        defer { live.child.terminate() }
        let expected = try GDBOnFile.functionAddress("point_target", in: live.binary) + live.bias
        let definition = try lineNumber(of: "NOINLINE int point_target(int index) {", in: Self.source)
        for text in ["point_target", "fixture-points:point_target", "debug/fixture-points:point_target"] {
            let point = try live.one(text)
            #expect(point.runtimeAddress == RuntimeAddress(expected), "\(text)")
            #expect(point.module == live.binary)
            #expect(point.function == "point_target")
            #expect(point.file.map(Path.basename) == "main.c")
            #expect(point.line == definition)
        }
    }

    @Test func markedLineIsWhereGDBPutsIt() throws {
        let live = try Live()
        defer { live.child.terminate() }
        let line = try lineNumber(of: "; // POINT-LINE", in: Self.source)
        let expected = try GDBOnFile.lineStarts("main.c:\(line)", in: live.binary).map { RuntimeAddress($0 + live.bias) }
        try #require(!expected.isEmpty)
        for text in ["main.c:\(line)", "fixture-points/main.c:\(line)", "\(packageRoot)/\(Self.source):\(line)"] {
            let points = try live.resolver.resolve(text)
            #expect(points.map(\.runtimeAddress) == expected, "\(text)")
            #expect(points.allSatisfy { $0.line == line && $0.function == "point_target" && $0.module == live.binary })
            #expect(points.allSatisfy { $0.file == "\(packageRoot)/\(Self.source)" })
        }
    }

    /// A declaration without code moves to the next line that has some, as
    /// gdb's `break` moves it; so does the `for (;;)` of a loop.
    @Test(arguments: ["    char line[128];", "    for (;;) {"])
    func lineWithoutCodeMovesToTheNextOne(marker: String) throws {
        let live = try Live()
        defer { live.child.terminate() }
        let line = try lineNumber(of: marker, in: Self.source)
        let gdb = try GDBOnFile.breakpoint("main.c:\(line)", in: live.binary)
        try #require(gdb.line > line, "the fixture changed: line \(line) has code now")
        let point = try live.one("main.c:\(line)")
        #expect(point.line == gdb.line)
        #expect(point.runtimeAddress == RuntimeAddress(gdb.address + live.bias))
        #expect(point.function == "call_forever")
    }

    @Test func addressIsTakenAsGivenAndNamed() throws {
        let live = try Live()
        defer { live.child.terminate() }
        let entry = try GDBOnFile.functionAddress("point_target", in: live.binary) + live.bias
        let point = try live.one("*0x" + String(entry, radix: 16))
        #expect(point == ResolvedPoint(runtimeAddress: RuntimeAddress(entry), module: live.binary, function: "point_target",
                                       file: "\(packageRoot)/\(Self.source)", line: try lineNumber(of: "NOINLINE int point_target", in: Self.source)))
        #expect(throws: PointLocationError.addressNotExecutable(0x10)) { try live.resolver.resolve("*0x10") }
    }

    @Test func libcFunctionWithAndWithoutItsModule() throws {
        let live = try Live()
        defer { live.child.terminate() }
        let libc = try libcPath(pid: live.pid)
        let expected = try GDBOnFile.functionAddress("read", in: libc) + loadBias(of: libc, pid: live.pid)
        // Aliases at one address are one candidate, whichever name is given.
        for text in ["read", "libc.so.6:read", "libc:read", "libc.so:read", "x86_64-linux-gnu/libc.so.6:read", "__read", "__libc_read"] {
            let point = try live.one(text)
            #expect(point.runtimeAddress == RuntimeAddress(expected), "\(text)")
            #expect(point.module == libc, "\(text)")
        }
    }

    /// A line of a shared library, from its separate debug file: a
    /// function's opening line that the cancellation paths return to.
    /// gdb's `break` keeps one address per block (the entry); every run of
    /// the line is a place a thread passes, so all are points, the entry
    /// first.
    @Test func libcLineFromItsDebugFile() throws {
        let live = try Live()
        defer { live.child.terminate() }
        let libc = try libcPath(pid: live.pid)
        let gdb = try GDBOnFile.lineStarts("read.c:26", in: libc)
        try #require(gdb.count == 1, "gdb finds no read.c:26 in \(libc) (no debug file?)")
        let objdump = try objdumpStatementStarts(file: "read.c", line: 26, in: debugFile(of: libc))
        try #require(objdump.count > 1, "libc changed: read.c:26 is one run now")
        let bias = try loadBias(of: libc, pid: live.pid)
        let points = try live.resolver.resolve("linux/read.c:26")
        #expect(points.map(\.runtimeAddress) == objdump.map { RuntimeAddress($0 + bias) })
        #expect(points.first?.runtimeAddress == RuntimeAddress(gdb[0] + bias))
        #expect(points.allSatisfy { $0.module == libc && $0.line == 26 && $0.file?.hasSuffix("/sysv/linux/read.c") == true })
        #expect(points.allSatisfy { $0.function == "read" })
    }

    @Test func unknownNamesSayWhatIsClose() throws {
        let live = try Live()
        defer { live.child.terminate() }
        #expect(throws: PointLocationError.functionNotFound("point_targte", module: nil, closeNames: [])) {
            try live.resolver.resolve("point_targte")
        }
        #expect(throws: PointLocationError.functionNotFound("POINT_TARG", module: nil, closeNames: ["point_target"])) {
            try live.resolver.resolve("POINT_TARG")
        }
        // In another module than the one that has it.
        #expect(throws: PointLocationError.functionNotFound("point_target", module: "libc", closeNames: [])) {
            try live.resolver.resolve("libc:point_target")
        }
        do {
            _ = try live.resolver.resolve("nosuchlib:read")
            Issue.record("nosuchlib resolved")
        } catch {
            guard case .moduleNotFound("nosuchlib", let loaded) = error else { throw error }
            #expect(loaded.contains("libc.so.6") && loaded.contains("fixture-points"))
        }
        #expect(throws: PointLocationError.noCodeAtOrAfterLine(file: "main.c", line: 100_000)) {
            try live.resolver.resolve("main.c:100000")
        }
        // A path suffix counts only at a `/`.
        do {
            _ = try live.resolver.resolve("ixture-points/main.c:49")
            Issue.record("a suffix inside a directory name resolved")
        } catch {
            guard case .fileNotFound("ixture-points/main.c", let close) = error else { throw error }
            #expect(close.contains("main.c"))
        }
    }
}
