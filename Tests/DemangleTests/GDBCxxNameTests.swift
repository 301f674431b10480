import Demangle
import Testing

/// C++ frame names as gdb 13 prints them from a DWARF linkage name: no
/// return type, no parameters, unless gdb's parser cannot read the name.
@Suite struct GDBCxxNameTests {
    @Test(arguments: [
        ("_ZNSt11this_thread9sleep_forIlSt5ratioILl1ELl1EEEEvRKNSt6chrono8durationIT_T0_EE",
         "std::this_thread::sleep_for<long, std::ratio<1l, 1l> >"),
        ("_ZN3app6WorkerIlE3runEv", "app::Worker<long>::run"),
        ("_ZN12_GLOBAL__N_19on_signalEi", "(anonymous namespace)::on_signal"),
        ("_ZNKSt6vectorIiSaIiEE4sizeEv", "std::vector<int, std::allocator<int> >::size"),
        ("_ZStlsISt11char_traitsIcEERSt13basic_ostreamIcT_ES5_PKc", "std::operator<< <std::char_traits<char> >"),
        ("_Znwm", "operator new"),
        ("_ZN1AcviEv", "A::operator int"),
        ("_ZNSt5mutex4lockEv", "std::mutex::lock"),
    ])
    func linkageNames(mangled: String, gdb: String) {
        #expect(GDBCxxName.frameName(linkage: mangled) == gdb)
    }

    @Test func notCxxIsNil() {
        #expect(GDBCxxName.frameName(linkage: "__GI___libc_read") == nil)
        #expect(GDBCxxName.frameName(linkage: "_Zfoo") == nil)
    }

    /// gdb's cp_remove_params gives up on lambdas and unnamed types: the
    /// parameters stay, the return type (dropped by the demangler) does not.
    @Test func unparseableNamesKeepTheirParameters() {
        #expect(GDBCxxName.frameName(demangled: "main::{lambda()#1}::operator()() const") == "main::{lambda()#1}::operator()() const")
        #expect(GDBCxxName.frameName(demangled: "void f<main::{lambda()#1}>(main::{lambda()#1}&&)")
            == "f<main::{lambda()#1}>(main::{lambda()#1}&&)")
        #expect(!GDBCxxName.canParse("std::thread::_State_impl<std::thread::_Invoker<std::tuple<main()::<lambda()> > > >::_M_run"))
        #expect(GDBCxxName.canParse("(anonymous namespace)::chain_inner"))
    }

    @Test func namesWithoutParametersStayWhole() {
        #expect(GDBCxxName.frameName(demangled: "std::mutex::lock") == "std::mutex::lock")
        #expect(GDBCxxName.frameName(demangled: "operator()") == "operator()")
    }

    /// gdb canonicalizes the DW_AT_name of C++ entities it can parse.
    @Test func dwarfNamesAreCanonicalizedLikeGDBs() {
        #expect(GDBCxxName.canonicalized("long unsigned int") == "unsigned long")
        #expect(GDBCxxName.canonicalized("duration<long int, std::ratio<1, 1000> >") == "duration<long, std::ratio<1, 1000> >")
        #expect(GDBCxxName.canonicalized("long long unsigned int") == "unsigned long long")
        #expect(GDBCxxName.canonicalized("my_long int_thing") == "my_long int_thing")
        // Names gdb cannot parse stay as gcc wrote them.
        #expect(GDBCxxName.canonicalized("Box<main()::<lambda(long int)> >") == "Box<main()::<lambda(long int)> >")
    }
}
