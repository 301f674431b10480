import Foundation
import Testing
@testable import Demangle

@Suite struct ItaniumTests {
    @Test(arguments: [
        ("_ZN3geo6detail3VecIfLi3EEC2Ef", "geo::detail::Vec<float, 3>::Vec(float)"),
        ("_ZN3geo6detail3VecIiLi2EED1Ev", "geo::detail::Vec<int, 2>::~Vec()"),
        ("_ZNK3geo6detail3VecIfLi3EEplERKS2_",
         "geo::detail::Vec<float, 3>::operator+(geo::detail::Vec<float, 3> const&) const"),
        ("_ZNK3geo6detail3VecIiLi2EEeqERKS2_",
         "geo::detail::Vec<int, 2>::operator==(geo::detail::Vec<int, 2> const&) const"),
        ("_ZZ4mainENKUliE_clEi", "main::{lambda(int)#1}::operator()(int) const"),
        ("_ZdlPvm", "operator delete(void*, unsigned long)"),
        ("_ZNSt6vectorIiSaIiEEixEm", "std::vector<int, std::allocator<int> >::operator[](unsigned long)"),
        ("_ZN3foo3barE", "foo::bar"),
        // GCC clones, as c++filt prints them.
        ("_Z3fooi.cold", "foo(int) [clone .cold]"),
        ("_Z3fooi.isra.0.cold", "foo(int) [clone .isra.0] [clone .cold]"),
        ("_Z3fooi.constprop.0", "foo(int) [clone .constprop.0]"),
        // Linker decorations are kept after the demangled name.
        ("_Z3fooi@plt", "foo(int)@plt"),
        ("_ZdlPv@GLIBCXX_3.4", "operator delete(void*)@GLIBCXX_3.4"),
    ])
    func knownNames(symbol: String, expected: String) {
        #expect(Demangler.demangle(symbol) == expected)
        #expect(Demangler.language(of: symbol) == .cxx)
    }

    @Test(arguments: ["_Z", "_Zfoo", "_ZN3foo", "_Z3fooi.", "_ZZZZZ"])
    func malformedNamesAreLeftAlone(symbol: String) {
        #expect(Demangler.demangle(symbol) == symbol)
    }

    @Test func overlongNamesAreRefusedBeforeReachingLibstdcxx() {
        let nested = "_Z1f" + String(repeating: "P", count: 100_000) + "i"
        #expect(Demangler.demangle(nested) == nested)
    }

    static let program = """
        #include <algorithm>
        #include <functional>
        #include <iostream>
        #include <map>
        #include <string>
        #include <vector>

        namespace geo {
        namespace detail {
        template <typename T, int N>
        struct Vec {
            T v[N];
            Vec() { for (auto &x : v) x = T(); }
            explicit Vec(T fill) { for (auto &x : v) x = fill; }
            Vec operator+(const Vec &o) const { Vec r; for (int i = 0; i < N; i++) r.v[i] = v[i] + o.v[i]; return r; }
            bool operator==(const Vec &o) const { return std::equal(v, v + N, o.v); }
        };
        }
        template <typename T, int N>
        __attribute__((noinline)) T dot(const detail::Vec<T, N> &a, const detail::Vec<T, N> &b) {
            T s{}; for (int i = 0; i < N; i++) s += a.v[i] * b.v[i]; return s;
        }
        struct Shape { virtual ~Shape() = default; virtual double area() const = 0; };
        struct Circle : Shape {
            double r;
            explicit Circle(double r) : r(r) {}
            double area() const override { return 3.14159 * r * r; }
        };
        }

        __attribute__((noinline)) int apply(const std::function<int(int)> &f, int x) { return f(x); }

        int main(int argc, char **argv) {
            geo::detail::Vec<float, 3> a(1.0f), b(2.0f);
            geo::detail::Vec<int, 2> c(argc);
            auto s = a + b;
            std::map<std::string, std::vector<int>> m;
            m["x"].push_back(argc);
            int k = argc;
            auto lambda = [k](int x) { return x * k; };
            std::vector<int> v{3, 1, 2};
            std::sort(v.begin(), v.end(), [](int l, int r) { return l > r; });
            geo::Shape *sh = new geo::Circle(argc);
            std::cout << geo::dot(a, s) << geo::dot(c, c) << (a == b) << apply(lambda, 4)
                      << m.size() << v[0] << sh->area() << "\\n";
            delete sh;
        }
        """

    /// Every `_Z` name in a real `g++ -O2` object, against `c++filt -i`.
    /// (`-i` turns off binutils' verbose mode, which expands `std::ostream`
    /// and friends; `__cxa_demangle` never uses it.)
    @Test(.enabled(if: ToolRunner.isAvailable("g++") && ToolRunner.isAvailable("c++filt")))
    func compiledProgramMatchesCxxfilt() throws {
        let directory = try ToolRunner.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let source = directory.appendingPathComponent("prog.cpp")
        try Self.program.write(to: source, atomically: true, encoding: .utf8)
        let object = directory.appendingPathComponent("prog.o").path
        try ToolRunner.run("g++", ["-O2", "-c", source.path, "-o", object])

        let names = try ToolRunner.symbols(in: object).filter { $0.hasPrefix("_Z") }
        #expect(names.count > 20)
        let expected = try ToolRunner.cxxfilt(names, options: ["-i"])
        for (name, reference) in zip(names, expected) {
            #expect(Demangler.demangle(name) == reference, "\(name)")
            #expect(Demangler.demangle(name) != name, "\(name) was not demangled")
        }

        let ours = Set(names.map(Demangler.demangle))
        #expect(ours.contains("float geo::dot<float, 3>(geo::detail::Vec<float, 3> const&, geo::detail::Vec<float, 3> const&)"))
        #expect(ours.contains("geo::Circle::area() const"))
        #expect(ours.contains { $0.contains("main::{lambda(int)#1}") })
        #expect(ours.contains { $0.hasSuffix("[clone .constprop.0]") })
    }
}
