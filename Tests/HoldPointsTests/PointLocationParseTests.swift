import HoldPoints
import Testing

@Suite struct PointLocationParseTests {
    @Test(arguments: [
        ("point_target", PointLocation.function(name: "point_target", module: nil)),
        ("  point_target\t", .function(name: "point_target", module: nil)),
        ("app::Worker<long>::run", .function(name: "app::Worker<long>::run", module: nil)),
        ("_ZN3app6WorkerIlE3runEl", .function(name: "_ZN3app6WorkerIlE3runEl", module: nil)),
        ("libc.so.6:read", .function(name: "read", module: "libc.so.6")),
        ("libc:read", .function(name: "read", module: "libc")),
        ("libstdc++.so.6:std::thread::join()", .function(name: "std::thread::join()", module: "libstdc++.so.6")),
        ("app::f(std::map<int, int>::iterator)", .function(name: "app::f(std::map<int, int>::iterator)", module: nil)),
        // A Swift name keeps its argument labels' colons: they are inside the parentheses.
        ("fixture-swift:main.work(count:)", .function(name: "main.work(count:)", module: "fixture-swift")),
        ("x86_64-linux-gnu/libc.so.6:read", .function(name: "read", module: "x86_64-linux-gnu/libc.so.6")),
        ("main.c:42", .line(file: "main.c", line: 42)),
        ("src/app/main.c:7", .line(file: "src/app/main.c", line: 7)),
        ("/abs/path/x.cpp:1", .line(file: "/abs/path/x.cpp", line: 1)),
        ("*0x401136", .address(0x401136)),
        ("*0X7F00DEADBEEF", .address(0x7f00_dead_beef)),
        ("* 0x10", .address(0x10)),
    ])
    func parses(text: String, expected: PointLocation) throws {
        #expect(try PointLocation.parse(text) == expected)
    }

    @Test(arguments: [
        ("", PointLocationError.empty),
        ("   ", .empty),
        ("*401136", .malformedAddress("*401136")),
        ("*0x", .malformedAddress("*0x")),
        ("*0xnothex", .malformedAddress("*0xnothex")),
        ("*0x11112222333344445", .malformedAddress("*0x11112222333344445")),
        ("main.c:0", .malformedLine("main.c:0")),
        ("main.c:99999999999999999999", .malformedLine("main.c:99999999999999999999")),
        (":read", .missingPart(":read")),
        ("libc:", .missingPart("libc:")),
        ("42", .missingPart("42")),
    ])
    func rejects(text: String, expected: PointLocationError) {
        #expect(throws: expected) { try PointLocation.parse(text) }
    }

    @Test func printsAsWritten() throws {
        for text in ["libc.so.6:read", "main.c:42", "*0x401136", "app::Worker<long>::run"] {
            #expect(try PointLocation.parse(text).description == text)
        }
    }

    @Test func errorsAreOneLineThatSayWhatToDo() {
        let errors: [PointLocationError] = [
            .empty, .malformedAddress("*1"), .malformedLine("a.c:0"), .missingPart(":x"), .processUnreadable(pid: 1),
            .moduleNotFound("libz", loaded: ["a", "b"]), .functionNotFound("f", module: nil, closeNames: ["fa"]),
            .functionNotFound("f", module: "libc", closeNames: []),
            .ambiguousFunction("f", candidates: ["a:f(int) at 0x1", "a:f(double) at 0x2"], total: 12),
            .fileNotFound("x.c", closeNames: []), .ambiguousFile("x.c", candidates: ["a: /1/x.c", "b: /2/x.c"]),
            .noCodeAtOrAfterLine(file: "x.c", line: 3), .addressNotExecutable(0x10),
        ]
        for error in errors {
            #expect(!error.description.contains("\n"), "\(error)")
            #expect(error.description.contains(":"), "\(error)")
        }
        #expect(PointLocationError.ambiguousFunction("f", candidates: ["a:f(int) at 0x1"], total: 12).description
            .contains("and 11 more"))
    }
}
