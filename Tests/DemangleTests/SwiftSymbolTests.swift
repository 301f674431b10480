import Foundation
import Testing
@testable import Demangle

/// Swift names from this very test binary, compared with the toolchain's
/// `swift demangle`.
@Suite struct SwiftSymbolTests {
    @Test(arguments: ["$s", "_$s", "$S", "_T0", "$e"])
    func prefixesAreSwift(prefix: String) {
        #expect(Demangler.language(of: prefix + "4main3fooyyF") == .swift)
    }

    @Test func runtimeGivesTheSimplifiedForm() {
        // Swift 6 runtimes export the backtracer's simplified demangler.
        #expect(SwiftDemangler.producesSimplifiedForm)
        #expect(Demangler.demangle("$s4main3fooyS2iF") == "foo(_:)")
        #expect(Demangler.demangle("$s8Demangle9DemanglerO8demangleyS2SFZ") == "static Demangler.demangle(_:)")
    }

    @Test(arguments: ["$s", "$sZZZZ", "$s4mai", "$s99999x", "_T0"])
    func malformedNamesAreLeftAlone(symbol: String) {
        #expect(Demangler.demangle(symbol) == symbol)
    }

    @Test(.enabled(if: ToolRunner.isAvailable("swift") && ToolRunner.isAvailable("nm")))
    func ownSymbolsMatchSwiftDemangle() throws {
        // Resolved here: in the nm child, /proc/self would be nm itself.
        let executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        let names = try ToolRunner.symbols(in: executable)
            .filter { $0.hasPrefix("$s") && $0.utf8.count <= SwiftDemangler.maxInputBytes }
        #expect(names.count > 100)
        let mode = SwiftDemangler.producesSimplifiedForm ? ["--simplified"] : []
        let output = try ToolRunner.run("swift", ["demangle", "--compact"] + mode,
                                        input: names.joined(separator: "\n") + "\n")
        let expected = output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        try #require(expected.count >= names.count)

        var mismatches: [String] = []
        for (name, reference) in zip(names, expected) {
            let ours = Demangler.demangle(name)
            if ours != reference { mismatches.append("\(name)\n  ours:   \(ours)\n  swift:  \(reference)") }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) of \(names.count):\n\(mismatches.prefix(10).joined(separator: "\n"))")
        #expect(names.filter { Demangler.demangle($0) == $0 }.isEmpty)
    }
}
