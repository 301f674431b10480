import ELF
@testable import Holds
import Testing

@Suite struct FlagNameTests {
    @Test(arguments: [
        ("hold", nil, false),
        ("hold.0", nil, true),
        ("hold.12", nil, true),
        ("spin_on_static_hold.hold", "spin_on_static_hold", true),
        ("_f1.hold.3", "_f1", true),
    ] as [(String, String?, Bool)])
    func recognizesCompilerSpellings(name: String, owner: String?, functionStatic: Bool) {
        let parsed = FlagSymbolName.recognize(name)
        #expect(parsed == FlagSymbolName(variableName: "hold", owner: owner, isFunctionStatic: functionStatic))
    }

    @Test(arguments: ["holder", "hold.", "hold.x", "hold.0.1", "1f.hold", "a.b.hold", ".hold", "threshold", "hold.lto_priv.0", ""])
    func rejectsLookalikes(name: String) {
        #expect(FlagSymbolName.recognize(name) == nil)
    }

    @Test func parsesUserNames() throws {
        #expect(try FlagName(parsing: "ready") == FlagName(symbol: "ready"))
        #expect(try FlagName(parsing: "libfoo.so:ready") == FlagName(module: "libfoo.so", symbol: "ready"))
        #expect(try FlagName(parsing: "/opt/a:b/libfoo.so:ready") == FlagName(module: "/opt/a:b/libfoo.so", symbol: "ready"))
        for bad in ["", ":ready", "libfoo.so:", "two words"] {
            #expect(throws: HoldFlagError.invalidFlagName(bad)) { try FlagName(parsing: bad) }
        }
    }

    @Test func moduleMatchesFileNameOrFullPath() {
        let path = "/usr/lib/libfoo.so.1"
        #expect(FlagName(module: "libfoo.so.1", symbol: "x").matches(modulePath: path))
        #expect(FlagName(module: path, symbol: "x").matches(modulePath: path))
        #expect(FlagName(symbol: "x").matches(modulePath: path))
        #expect(!FlagName(module: "libfoo.so", symbol: "x").matches(modulePath: path))
        #expect(!FlagName(module: "/lib/libfoo.so.1", symbol: "x").matches(modulePath: path))
    }

    @Test func displayNameSaysWhichFunctionOwnsAStatic() {
        var flag = HoldFlag(name: "hold.0", variableName: "hold", owners: [], scope: .functionStatic,
                            modulePath: "/bin/x", address: 0x5000, linkAddress: 0x1000, size: 4)
        #expect(flag.displayName == "hold.0")
        flag.owners = ["spin_on_static_hold"]
        #expect(flag.displayName == "hold (in spin_on_static_hold)")
        #expect(flag.loadBias == LoadBias(displacement: 0x4000))
        flag.scope = .global
        flag.name = "hold"
        #expect(flag.displayName == "hold")
    }

    @Test func errorsAreOneLine() {
        let name = FlagName(module: "x", symbol: "y")
        let errors: [HoldFlagError] = [
            .invalidFlagName("a b"), .moduleNotLoaded(module: "x", loaded: ["/a", "/b"]), .symbolNotFound(name),
            .ambiguous(name, candidates: ["/a:y", "/b:y"]), .unsupportedSize(name, size: 40),
        ]
        for error in errors {
            #expect(!error.description.contains("\n"))
        }
    }
}

@Suite struct FlagNamePrefilterTests {
    /// The byte-level prefilter must never reject what `recognize` accepts.
    @Test(arguments: ["hold", "hold.0", "hold.12", "spin_on_static_hold.hold", "_f1.hold.3",
                      "holder", "hold.", "threshold", "x.hold.y", "", "0", ".0", "hold.lto_priv.0"])
    func prefilterKeepsEveryFlag(name: String) {
        let passes = Array(name.utf8).withUnsafeBytes { FlagSymbolName.mightBeFlag($0) }
        if FlagSymbolName.recognize(name) != nil { #expect(passes) }
        if ["holder", "hold.", "x.hold.y", "", "0", ".0", "hold.lto_priv.0"].contains(name) { #expect(!passes) }
    }
}
