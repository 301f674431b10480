import Foundation
import Testing
import TestSupport

/// `dump --locals` against gdb's `bt full` on Tests/Programs/args.c: the
/// variables we value have gdb's values, and where gdb says
/// `<optimized out>` we never print one.
@Suite(.serialized, .timeLimit(.minutes(6))) struct FrameLocalsTests {
    let lwpscope = BuiltProducts.path("lwpscope")

    /// Each thread's frames (by LWP), each with its function and its locals in order.
    struct Listing {
        struct Frame: Equatable {
            var function: String
            var locals: [(name: String, value: String)]
            static func == (a: Frame, b: Frame) -> Bool {
                a.function == b.function && a.locals.map(\.name) == b.locals.map(\.name) && a.locals.map(\.value) == b.locals.map(\.value)
            }
        }
        var threads: [Int32: [Frame]] = [:]

        /// `function` is read by `name(of:)` from a frame line.
        init(_ text: String, frameName: (Substring) -> String?) {
            var tid: Int32?
            for line in text.split(separator: "\n") {
                if let range = line.range(of: "(LWP ") {
                    tid = Int32(line[range.upperBound...].prefix { $0.isNumber })
                    if let tid { threads[tid] = [] }
                } else if line.hasPrefix("#"), let tid, let name = frameName(line) {
                    threads[tid, default: []].append(Frame(function: name, locals: []))
                } else if line.hasPrefix("        "), let tid, let equals = line.range(of: " = "), !(threads[tid] ?? []).isEmpty {
                    let name = line[..<equals.lowerBound].trimmingCharacters(in: .whitespaces)
                    threads[tid]![threads[tid]!.count - 1].locals.append((name, String(line[equals.upperBound...])))
                }
            }
        }
    }

    /// Ours: `#0  0x… name+0x4c (args) (module) at …`, `#0  0x… inline name (…`.
    static func ourName(_ line: Substring) -> String? {
        var words = line.split(separator: " ").dropFirst(2)
        if words.first == "inline" { words = words.dropFirst() }
        guard let word = words.first else { return nil }
        return String(word.split(separator: "+").first ?? word)
    }

    /// gdb's: `#2  0x… in name (…`, `#0  name (…`.
    static func gdbName(_ line: Substring) -> String? {
        var words = line.split(separator: " ").dropFirst()
        if words.first?.hasPrefix("0x") == true { words = words.dropFirst(2) }
        return words.first.map(String.init)
    }

    struct Score: CustomStringConvertible {
        var compared = 0, agreed = 0, numberWhereGDBOptimizedOut = 0
        var disagreements: [String] = []
        var description: String { "\(agreed)/\(compared) agree, \(numberWhereGDBOptimizedOut) values where gdb has none; \(disagreements.prefix(8))" }
    }

    /// Frames paired in order by function name; locals by name, in order.
    static func score(ours: Listing, gdb: Listing) -> Score {
        var score = Score()
        for (tid, ourFrames) in ours.threads {
            guard var theirs = gdb.threads[tid]?[...] else { continue }
            for frame in ourFrames {
                guard let match = theirs.firstIndex(where: { $0.function == frame.function }) else { continue }
                var gdbLocals = theirs[match].locals[...]
                theirs = theirs[(match + 1)...]
                for local in frame.locals where local.value != "<optimized out>" && local.value != "{...}" {
                    guard let index = gdbLocals.firstIndex(where: { $0.name == local.name }) else { continue }
                    let expected = gdbLocals[index].value
                    gdbLocals = gdbLocals[(index + 1)...]
                    if expected == "<optimized out>" { score.numberWhereGDBOptimizedOut += 1; continue }
                    if expected.hasPrefix("{") { continue }  // a struct gdb prints in full
                    score.compared += 1
                    if expected == local.value { score.agreed += 1 } else {
                        score.disagreements.append("\(frame.function) \(local.name): ours \(local.value), gdb \(expected)")
                    }
                }
            }
        }
        return score
    }

    @Test func argsProgramLocalsAgreeWithGDB() throws {
        guard GDBReference.isAvailable, let gcc = findExecutable("gcc"), let gdb = findExecutable("gdb") else {
            Issue.record("gdb or gcc missing: cannot compare")
            return
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lwpscope-locals-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let binary = dir + "/args"
        let build = try run(gcc, ["-O2", "-g", "-pthread", "-o", binary, FrameArgumentTests.programs + "/args.c"], timeout: 300)
        try #require(build.exitCode == 0, "gcc: \(build.stderr)")
        let child = try startFreshBinary(binary)
        defer { child.terminate() }
        try child.waitForLine(startingWith: "ready", timeout: 30)

        let ours = try run(lwpscope, ["dump", String(child.pid), "--locals"])
        try #require(ours.exitCode == 0, "\(ours.stderr)")
        let reference = try run(gdb, ["-batch", "-nx", "-iex", "set debuginfod enabled off", "-p", String(child.pid),
                                      "-ex", "set print frame-arguments all", "-ex", "thread apply all bt full"], timeout: 120)
        let score = Self.score(ours: Listing(ours.stdout, frameName: Self.ourName), gdb: Listing(reference.stdout, frameName: Self.gdbName))
        print("lwpscope locals against gdb on args.c: \(score)")
        #expect(score.compared >= 8, "\(score)")
        #expect(score.agreed * 100 >= score.compared * 90, "\(score)")
        #expect(score.numberWhereGDBOptimizedOut == 0, "\(score)")
        #expect(ours.stdout.contains("        byte = 0 '\\000'"), "park's local")
        #expect(ours.stdout.contains("No locals."))
        #expect(TaskStates.untraced(child.pid))
    }

    @Test func theScoreFailsOnAWrongValueAndOnAValueGDBHasNot() {
        let gdb = Listing("Thread 2 (Thread 0x7f (LWP 7) \"a\"):\n#0  f (x=1) at a.c:1\n        i = 3\n        j = <optimized out>\n",
                          frameName: Self.gdbName)
        func ours(_ i: String, _ j: String) -> Listing {
            Listing("Thread 0x7f (LWP 7) \"a\" S\n#0  0x1 f+0x2 (x=1) (/a) at a.c:1\n        i = \(i)\n        j = \(j)\n",
                    frameName: Self.ourName)
        }
        let right = Self.score(ours: ours("3", "<optimized out>"), gdb: gdb)
        #expect(right.compared == 1 && right.agreed == 1 && right.numberWhereGDBOptimizedOut == 0, "\(right)")
        let wrong = Self.score(ours: ours("4", "<optimized out>"), gdb: gdb)
        #expect(wrong.agreed == 0 && wrong.compared == 1, "\(wrong)")
        let invented = Self.score(ours: ours("3", "12"), gdb: gdb)
        #expect(invented.numberWhereGDBOptimizedOut == 1, "\(invented)")
    }
}
