import Foundation
import Testing
@testable import Demangle

/// Symbols from a Rust program compiled at test time, compared with binutils'
/// `c++filt -i`, whose Rust output matches rustc-demangle's `{:#}` form.
@Suite(.enabled(if: ToolRunner.isAvailable("rustc") && ToolRunner.isAvailable("c++filt")))
struct RustToolchainTests {
    static let program = """
        use std::fmt;

        pub mod shapes {
            pub trait Area { fn area(&self) -> f64; }
            pub struct Square<T>(pub T);
            impl<T: Copy + Into<f64>> Area for Square<T> {
                #[inline(never)]
                fn area(&self) -> f64 { let s: f64 = self.0.into(); s * s }
            }
            impl<T> Square<T> {
                #[inline(never)]
                pub fn new(v: T) -> Self { Square(v) }
            }
        }

        pub struct Buffer<const N: usize> { bytes: [u8; N] }
        impl<const N: usize> Buffer<N> {
            #[inline(never)]
            pub fn len(&self) -> usize { self.bytes.len() }
        }
        impl fmt::Display for Buffer<4> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { write!(f, "{:?}", self.bytes) }
        }

        #[inline(never)]
        pub fn grüße(names: &[&str]) -> usize { names.iter().map(|n| n.len()).sum() }
        #[inline(never)]
        pub fn apply<F: Fn(i32) -> i32>(f: F, x: i32) -> i32 { f(x) }
        #[inline(never)]
        pub fn dynamic(shape: &dyn shapes::Area) -> f64 { shape.area() }
        #[inline(never)]
        pub fn callback(f: fn(&u8) -> bool, p: *const u8, t: (u16, i64)) -> bool {
            let ok = unsafe { f(&*p) }; ok && t.0 > 0
        }
        #[inline(never)]
        pub fn flag<const B: bool, const C: char>() -> bool { B && C == 'x' }

        fn main() {
            let sq = shapes::Square::new(3u8);
            let b = Buffer::<4> { bytes: [1, 2, 3, 4] };
            let k = 7;
            let r = apply(move |x| x + k, 2) + apply(|x| x * 2, 3);
            println!("{} {} {} {} {}", dynamic(&sq), b.len(), b, grüße(&["a", "bc"]), r);
            println!("{}", callback(|v| *v > 0, &1u8, (1, 2)));
            println!("{}", flag::<true, 'x'>());
            let v: Vec<Box<dyn Fn() -> String>> = vec![Box::new(|| String::from("hi"))];
            println!("{}", v[0]());
        }
        """

    /// Compiles the program and returns its symbols. `nil` mangling means
    /// rustc's default, which is legacy on stable 1.95 (asking for `legacy`
    /// explicitly needs `-Z unstable-options`).
    private func symbols(mangling: String?) throws -> [String] {
        let directory = try ToolRunner.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let source = directory.appendingPathComponent("prog.rs")
        try Self.program.write(to: source, atomically: true, encoding: .utf8)
        let binary = directory.appendingPathComponent("prog").path
        let options = mangling.map { ["-C", "symbol-mangling-version=\($0)"] } ?? []
        try ToolRunner.run("rustc", options + ["-o", binary, source.path])
        return try ToolRunner.symbols(in: binary)
    }

    /// Drops ThinLTO's `.llvm.` suffix, which we strip and binutils keeps.
    private func withoutLLVMSuffix(_ symbol: String) -> String {
        String(RustSuffix.strippingLLVMSuffix(symbol[...]))
    }

    /// Differences from c++filt, after allowing for two known departures of
    /// binutils from rustc-demangle: it drops `.N` suffixes (v0 names contain
    /// no `.`, so the suffix is easy to find and is added back), and it leaves
    /// non-ASCII `$u..$` escapes of legacy names undecoded (skipped here; the
    /// punycode/`grüße` expectations cover them).
    private func mismatches(_ symbols: [String], reference: [String]) -> [String] {
        zip(symbols, reference).compactMap { symbol, reference in
            let v0 = symbol.hasPrefix("_R")
            if !v0, reference.contains("$u") { return nil }
            let suffix = v0 ? (symbol.firstIndex(of: ".").map { symbol[$0...] } ?? "") : ""
            let expected = reference + suffix
            let ours = Demangler.demangle(symbol)
            return ours == expected ? nil : "\(symbol)\n  ours:     \(ours)\n  expected: \(expected)"
        }
    }

    @Test func v0SymbolsMatchCxxfilt() throws {
        let rust = try symbols(mangling: "v0").filter { $0.hasPrefix("_R") }.map(withoutLLVMSuffix)
        // Our own functions must be among them, including a closure and a punycode name.
        #expect(rust.count > 100)
        let expected = try ToolRunner.cxxfilt(rust, options: ["-i"])
        let mismatches = mismatches(rust, reference: expected)
        // Agreement must not come from both sides giving up.
        #expect(rust.filter { Demangler.demangle($0) == $0 }.isEmpty)
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches:\n\(mismatches.prefix(20).joined(separator: "\n"))")

        let ours = Set(rust.map(Demangler.demangle))
        #expect(ours.contains("prog::grüße"))
        #expect(ours.contains("prog::apply::<prog::main::{closure#0}>"))
        #expect(ours.contains("prog::flag::<true, 'x'>"))
        #expect(ours.contains("<prog::shapes::Square<u8> as prog::shapes::Area>::area"))
        #expect(ours.contains("<prog::Buffer<4>>::len"))
    }

    @Test func legacySymbolsMatchCxxfilt() throws {
        // The prebuilt standard library brings v0 names along; keep legacy ones.
        let rust = try symbols(mangling: nil).map(withoutLLVMSuffix)
            .filter { $0.hasPrefix("_ZN") && Demangler.language(of: $0) == .rust }
        #expect(rust.count > 20)
        let expected = try ToolRunner.cxxfilt(rust, options: ["-i"])
        let mismatches = mismatches(rust, reference: expected)
        // Agreement must not come from both sides giving up.
        #expect(rust.filter { Demangler.demangle($0) == $0 }.isEmpty)
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches:\n\(mismatches.prefix(20).joined(separator: "\n"))")

        let ours = Set(rust.map(Demangler.demangle))
        #expect(ours.contains("prog::grüße"))
        #expect(ours.contains("prog::main::{{closure}}"))
        #expect(ours.contains("<prog::shapes::Square<T> as prog::shapes::Area>::area"))
    }
}
