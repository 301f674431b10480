@testable import Demangle
import Testing

/// The one rule for where a linker decoration starts, used both to keep it
/// (Demangler) and to drop a symbol version (the names backtraces print).
@Suite struct LinkerDecorationTests {
    @Test(arguments: [
        ("clock_nanosleep@@GLIBC_2.17", "clock_nanosleep"),
        ("memcpy@GLIBC_2.2.5", "memcpy"),
        ("_ZdlPv@GLIBCXX_3.4", "_ZdlPv"),
        ("foo@plt", "foo@plt"),
        ("_Z3fooi@plt", "_Z3fooi@plt"),
        ("main", "main"),
        ("@__swiftmacro_4main3fooMX1_0_33_ABC", "@__swiftmacro_4main3fooMX1_0_33_ABC"),
        ("@odd", "@odd"),
    ])
    func versionsGoPLTStubsStay(symbol: String, shown: String) {
        #expect(LinkerDecoration.strippingVersion(symbol) == shown)
    }

    @Test func demanglingKeepsWhatStrippingWouldDrop() {
        // Same split point both ways: the version is the decoration Demangler keeps.
        let symbol = "_ZdlPv@GLIBCXX_3.4"
        let (name, decoration) = LinkerDecoration.split(symbol)
        #expect(LinkerDecoration.strippingVersion(symbol) == String(name))
        #expect(Demangler.demangle(symbol) == "operator delete(void*)" + decoration)
        #expect(Demangler.demangle(LinkerDecoration.strippingVersion(symbol)) == "operator delete(void*)")
    }
}
