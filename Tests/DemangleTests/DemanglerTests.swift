import Testing
@testable import Demangle

@Suite struct DemanglerTests {
    @Test(arguments: [
        ("_Z3fooi", SymbolLanguage.cxx),
        ("_ZN3foo3barEv", .cxx),
        ("_ZN3foo3barE.cold", .cxx),
        ("_Z3fooi@plt", .cxx),
        ("_ZN3std2rt10lang_start17h1234567890abcdefE", .rust),
        ("_ZN3std2rt10lang_start17h1234567890abcdefE.llvm.1234", .rust),
        ("_RNvCs1234_7mycrate3foo", .rust),
        ("$s4main3fooyS2iF", .swift),
        ("_$s4main3fooyS2iF", .swift),
        ("main", .c),
        ("memcpy@GLIBC_2.14", .c),
        ("_start", .c),
        ("_Rust_is_not_mangled_here", .c),
        ("", .c),
        ("$", .c),
    ])
    func language(symbol: String, expected: SymbolLanguage) {
        #expect(Demangler.language(of: symbol) == expected)
    }

    @Test(arguments: ["main", "memcpy", "memcpy@plt", "__libc_start_main@GLIBC_2.34", "foo.cold",
                      "_start", "", "@", "_Z", "$s", "a\0b", "_Z3foo\0i"])
    func plainAndBrokenNamesPassThrough(symbol: String) {
        #expect(Demangler.demangle(symbol) == symbol)
    }

    @Test func linkerDecorationIsKeptForEveryLanguage() {
        #expect(Demangler.demangle("_ZN3std2rt10lang_start17h1234567890abcdefE@plt") == "std::rt::lang_start@plt")
        #expect(Demangler.demangle("_RNvCs1234_7mycrate3foo@plt") == "mycrate::foo@plt")
        #expect(Demangler.demangle("$s4main3fooyS2iF@plt") == "foo(_:)@plt")
    }

    @Test(arguments: [
        (".cold", ["[clone .cold]"]),
        (".isra.0.cold", ["[clone .isra.0]", "[clone .cold]"]),
        (".constprop.0.isra.1", ["[clone .constprop.0]", "[clone .isra.1]"]),
        (".part.12", ["[clone .part.12]"]),
    ])
    func cloneSuffixesSplitLikeCxxfilt(suffix: String, expected: [String]) {
        let clones = CloneSuffix.clones(in: suffix[...])?.map { "[clone \($0)]" }
        #expect(clones == expected)
    }

    @Test(arguments: [".", "..", ".cold!", "cold", ".a..b"])
    func malformedCloneSuffixesAreRejected(suffix: String) {
        #expect(CloneSuffix.clones(in: suffix[...]) == nil)
    }

    @Test func swiftSuffixesFollowSwiftDemangleSimplified() {
        // Coroutine pieces and clones print as their function, as in
        // `swift demangle --simplified`.
        #expect(Demangler.demangle("$s4main3fooyS2iF.cold") == "foo(_:)")
        #expect(Demangler.demangle("$s4main3fooyS2iF.resume.0") == "foo(_:)")
        #expect(Demangler.demangle("_T04main3fooS2iF") == "foo(_:)")
    }

    @Test func thousandsOfRepeatedFramesAreFast() {
        let frames = (0..<5_000).map { FuzzTests.seeds[$0 % FuzzTests.seeds.count] }
        _ = frames.map(Demangler.demangle)
        // Every distinct frame is now answered from the cache.
        for frame in Set(frames) where frame.utf8.count > 0 {
            #expect(Demangler.cache.value(for: frame) == Demangler.demangleUncached(frame))
        }
        let clock = ContinuousClock()
        let elapsed = clock.measure { _ = frames.map(Demangler.demangle) }
        // Cached lookups only; generous for debug builds and loaded machines.
        #expect(elapsed < .milliseconds(500), "\(elapsed)")
    }
}
