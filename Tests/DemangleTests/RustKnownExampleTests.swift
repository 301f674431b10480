import Testing
@testable import Demangle

/// Hand-checked Rust symbols. Expected strings follow rustc-demangle's `{:#}`
/// form (they also match `c++filt -i` from binutils 2.40, except where noted).
@Suite struct RustKnownExampleTests {
    @Test(arguments: [
        ("_ZN3std2rt10lang_start28_$u7b$$u7b$closure$u7d$$u7d$17h1234567890abcdefE",
         "std::rt::lang_start::{{closure}}"),
        ("_ZN4core3ptr85drop_in_place$LT$std..rt..lang_start$LT$$LP$$RP$$GT$..$u7b$$u7b$closure$u7d$$u7d$$GT$17h1234567890abcdefE",
         "core::ptr::drop_in_place<std::rt::lang_start<()>::{{closure}}>"),
        ("_ZN7mycrate76_$LT$impl$u20$mycrate..Trait$u20$for$u20$$RF$str$C$$u20$$BP$const$u20$u8$GT$4call17h1234567890abcdefE",
         "mycrate::<impl mycrate::Trait for &str, *const u8>::call"),
        ("_ZN7mycrate22mail$SP$host$u7e$tilde17h1234567890abcdefE", "mycrate::mail@host~tilde"),
        ("_ZN71_$LT$Test$u20$$u2b$$u20$$u27$static$u20$as$u20$foo..Bar$LT$Test$GT$$GT$3bar17h930b740aa94f1d3aE",
         "<Test + 'static as foo::Bar<Test>>::bar"),
        // ThinLTO's `.llvm.` suffix is dropped; other suffixes stay, as in rustc-demangle.
        ("_ZN3std2io5stdio6_print17h1234567890abcdefE.llvm.4242ABCD", "std::io::stdio::_print"),
        ("_ZN3std2io5stdio6_print17h1234567890abcdefE.cold", "std::io::stdio::_print.cold"),
    ])
    func legacy(symbol: String, expected: String) {
        #expect(RustLegacyDemangler.demangle(symbol) == expected)
        #expect(Demangler.demangle(symbol) == expected)
        #expect(Demangler.language(of: symbol) == .rust)
    }

    @Test func legacyWithoutHashIsLeftToTheCxxDemangler() {
        // No `h<16 hex>` element: indistinguishable from C++, so C++ rules apply.
        #expect(RustLegacyDemangler.demangle("_ZN3foo3barE") == nil)
        #expect(Demangler.language(of: "_ZN3foo3barE") == .cxx)
        #expect(Demangler.demangle("_ZN3foo3barE") == "foo::bar")
    }

    @Test(arguments: [
        ("_RNvC6_123foo3bar", "123foo::bar"),
        ("_RNvNtCs1234_7mycrate3foo3bar", "mycrate::foo::bar"),
        ("_RNqCs4fqI2P2rA04_11utf8_identsu30____7hkackfecea1cbdathfdh9hlq6y",
         "utf8_idents::საჭმელად_გემრიელი_სადილი"),
        ("_RNvCs1234_7mycrateu9gre_6ka8l", "mycrate::grüße"),
        ("_RNvCs1234_7mycrateu7kdvt68h", "mycrate::関数"),
        ("_RNCNCNgCs6DXkGYLi8lr_2cc5spawn00B5_", "cc::spawn::{closure#0}::{closure#0}"),
        ("_RNCNvCs1234_7mycrate3foos_0", "mycrate::foo::{closure#1}"),
        ("_RNCNvCs1234_7mycrate3foos0_0", "mycrate::foo::{closure#2}"),
        ("_RINbNbCskIICzLVDPPb_5alloc5alloc8box_freeDINbNiB4_5boxed5FnBoxuEp6OutputuEL_ECs1iopQbuBiw2_3std",
         "alloc::alloc::box_free::<dyn alloc::boxed::FnBox<(), Output = ()>>"),
        ("_RMC0INtC8arrayvec8ArrayVechKj7b_E", "<arrayvec::ArrayVec<u8, 123>>"),
        ("_RMCs4fqI2P2rA04_13const_genericINtB0_6SignedKanb_E", "<const_generic::Signed<-11>>"),
        ("_RMCs4fqI2P2rA04_13const_genericINtB0_4CharKc76_E", "<const_generic::Char<'v'>>"),
        ("_RMCs4fqI2P2rA04_13const_genericINtB0_4BoolKb1_E", "<const_generic::Bool<true>>"),
        ("_RNvNvMCs4fqI2P2rA04_13const_genericINtB4_3FooKpE3foo3FOO", "<const_generic::Foo<_>>::foo::FOO"),
        ("_RINvNtC3std3mem8align_ofjE", "std::mem::align_of::<usize>"),
        ("_RXNvCs1234_7mycrate3fooNtB2_3BarNtCs5678_4core5Debug", "<mycrate::Bar as core::Debug>"),
        ("_RNvXs_Cs1234_7mycrateNtB4_3BarNtNtCs5678_4core3fmt5Debug3fmt",
         "<mycrate::Bar as core::fmt::Debug>::fmt"),
        ("_RINvCs1234_7mycrate3fooFG_RL0_hEuE", "mycrate::foo::<for<'a> fn(&'a u8)>"),
        ("_RINvCs1234_7mycrate3fooTlhEATjEj3_SPOeEC4core",
         "mycrate::foo::<(i32, u8), [(usize,); 3], [*const *mut str]>"),
        ("_RINvCs1234_7mycrate3fooFUKCmEyEC4core", "mycrate::foo::<unsafe extern \"C\" fn(u32) -> u64>"),
        ("_RINvCs1234_7mycrate3fooFK13system_unwindEuEC4core",
         "mycrate::foo::<extern \"system-unwind\" fn()>"),
        ("_RINvCs1234_7mycrate3fooRL_QbEC4core", "mycrate::foo::<&&mut bool>"),
        ("_RINvCs1234_7mycrate3fooDNtB2_5TraitEL_EC4core", "mycrate::foo::<dyn mycrate::Trait>"),
        ("_RINvCs1234_7mycrate3fooKRe68695f_EC4core", "mycrate::foo::<\"hi_\">"),
        // Shims (`S` namespace) print as `{shim:NAME#N}`.
        ("_RNSNvCs1234_7mycrate3foo6vtable", "mycrate::foo::{shim:vtable#0}"),
        // A kept suffix and a dropped ThinLTO one.
        ("_RNvCs1234_7mycrate3foo.cold", "mycrate::foo.cold"),
        ("_RNvCs1234_7mycrate3foo.llvm.0123ABCD", "mycrate::foo"),
    ])
    func v0(symbol: String, expected: String) {
        #expect(RustV0Demangler.demangle(symbol) == expected)
        #expect(Demangler.demangle(symbol) == expected)
        #expect(Demangler.language(of: symbol) == .rust)
    }

    /// Const generics newer than binutils 2.40's Rust support (or, for
    /// `'\''` and wide integers, printed differently by it); expectations
    /// follow rustc-demangle's rules: braces around non-literal consts in
    /// generic-argument position, `escape_debug` for chars, hex beyond u64.
    @Test(arguments: [
        ("_RINvCs1234_7mycrate3fooKVNtCs1_1a3FooS1xj1_1yb0_EEC4core",
         "mycrate::foo::<{a::Foo { x: 1, y: false }}>"),
        ("_RINvCs1234_7mycrate3fooKVNtCs1_1a4NoneUEC4core", "mycrate::foo::<{a::None}>"),
        ("_RINvCs1234_7mycrate3fooKVNtCs1_1a4SomeTj5_EEC4core", "mycrate::foo::<{a::Some(5)}>"),
        ("_RINvCs1234_7mycrate3fooKTj1_b1_EEC4core", "mycrate::foo::<{(1, true)}>"),
        ("_RINvCs1234_7mycrate3fooKQj1_EC4core", "mycrate::foo::<{&mut 1}>"),
        ("_RINvCs1234_7mycrate3fooKAj1_j2_EEC4core", "mycrate::foo::<{[1, 2]}>"),
        ("_RINvCs1234_7mycrate3fooKe616263_EC4core", "mycrate::foo::<{*\"abc\"}>"),
        ("_RINvCs1234_7mycrate3fooKc27_EC4core", "mycrate::foo::<'\\''>"),
        ("_RINvCs1234_7mycrate3fooKan80_EC4core", "mycrate::foo::<-128>"),
        ("_RINvCs1234_7mycrate3fooKoffffffffffffffffffff_EC4core",
         "mycrate::foo::<0xffffffffffffffffffff>"),
        ("_RINvCs1234_7mycrate3fooPFUKCvEuEC4core", "mycrate::foo::<*const unsafe extern \"C\" fn(...)>"),
        ("_RINvCs1234_7mycrate3fooDG_INtNtNtCs5678_4core3ops8function2FnTRL0_hEEp6OutputuEL_EC4core",
         "mycrate::foo::<dyn for<'a> core::ops::function::Fn<(&'a u8,), Output = ()>>"),
        ("_RNvMs0_Cs1234_7mycrateINtB5_3FooNtB5_3BarE3new", "<mycrate::Foo<mycrate::Bar>>::new"),
    ])
    func v0Constants(symbol: String, expected: String) {
        #expect(RustV0Demangler.demangle(symbol) == expected)
    }

    @Test(arguments: [
        "_R",                                    // nothing after the prefix
        "_RNvCs1234_7mycrate",                   // truncated nested path
        "_RNvCs1234_7mycrate3foo!",              // trailing junk that is not a `.suffix`
        "_RINvCs1234_7mycrate3fooRL0_hEC4core",  // lifetime index with no binder in scope
        "_RNvB_3foo",                            // backref that does not point backwards
        "_RNvCs1234_7mycrate99foo",              // identifier longer than the symbol
        "_RINvCs1234_7mycrate3fooKbff_EC4core",  // bool constant other than 0/1
        "_RNvCs1234_7mycrateu3___",              // punycode with no deltas
        "_Rnvc",                                 // a path must start with an uppercase tag
    ])
    func malformedV0IsLeftAlone(symbol: String) {
        #expect(RustV0Demangler.demangle(symbol) == nil)
        #expect(Demangler.demangle(symbol) == symbol)
    }

    @Test func undecodablePunycodeIsShownRaw() {
        // `9` as the only delta digit leaves the delta unfinished.
        #expect(RustV0Demangler.demangle("_RNvCs1_7mycrateu5abc_9") == "mycrate::punycode{abc-9}")
    }

    @Test func deepNestingHitsTheDepthLimitInsteadOfTheStack() {
        let references = String(repeating: "R", count: 100_000)
        let symbol = "_RINvCs1234_7mycrate3foo" + references + "hEC4core"
        #expect(RustV0Demangler.demangle(symbol) == nil)
        let shallow = "_RINvCs1234_7mycrate3foo" + String(repeating: "R", count: 50) + "hEC4core"
        #expect(RustV0Demangler.demangle(shallow) == "mycrate::foo::<" + String(repeating: "&", count: 50) + "u8>")
    }

    @Test func backrefBlowupIsCutOffByTheOutputLimit() {
        // Each tuple repeats the previous one twice: output doubles per level.
        var symbol = "_RINvCs1234_7mycrate3fooTh"
        var positions: [Int] = []
        for _ in 0..<40 {
            let here = symbol.utf8.count - 2 - 1  // position of the last `T`, relative to `_R`
            positions.append(here)
            symbol += "B\(base62(here))B\(base62(here))ET"
        }
        symbol += "hEEC4core"
        #expect(RustV0Demangler.demangle(symbol) == nil)
    }

    @Test func revisitedImplPathsAreCutOffByTheWorkLimit() {
        // An impl path is skipped, not printed: each revisit of this `M` path
        // re-reads 5,000 generic arguments but prints only `<u8>`.
        let implPath = "INvC1a1f" + String(repeating: "h", count: 5_000) + "E"
        var symbol = "_RINvCs1_1a1fMs_" + implPath + "h"  // the `M` is at 11 after `_R`
        for _ in 0..<10_000 { symbol += "B" + base62(11) }
        symbol += "EC1a"
        let clock = ContinuousClock()
        var result: String?
        let elapsed = clock.measure { result = RustV0Demangler.demangle(symbol) }
        #expect(result == nil)
        #expect(elapsed < .seconds(2))

        // The same shape with few revisits is fine.
        let small = "_RINvCs1_1a1fMs_" + implPath + "h" + "B" + base62(11) + "EC1a"
        #expect(RustV0Demangler.demangle(small) == "a::f::<<u8>, <u8>>")
    }

    private func base62(_ value: Int) -> String {
        guard value > 0 else { return "_" }
        let digits = Array("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
        var n = value - 1
        var out = ""
        repeat {
            out.insert(digits[n % 62], at: out.startIndex)
            n /= 62
        } while n > 0
        return out + "_"
    }
}
