import Testing
import TestSupport

@Suite struct FunctionNamesTests {
    @Test(arguments: [
        // Symbol versions.
        ("clock_nanosleep@GLIBC_2.2.5", "clock_nanosleep"),
        ("pthread_cond_wait@@GLIBC_2.3.2", "pthread_cond_wait"),
        // Demangled symbols against gdb's DWARF names.
        ("lwp::demo::Parker<int>::spin()", "lwp::demo::Parker<int>::spin"),
        ("long lwp::io::read_one<char>(int)", "lwp::io::read_one<char>"),
        ("(anonymous namespace)::chain_inner(int)", "(anonymous namespace)::chain_inner"),
        ("main::{lambda()#2}::operator()() const [clone .constprop.0]", "operator()"),
        ("std::thread::_State_impl<X>::_M_run()", "std::thread::_State_impl<X>::_M_run(void)"),
        // Lambdas as the demangler and as DWARF spell them.
        (
            "std::thread::_State_impl<std::thread::_Invoker<std::tuple<main::{lambda()#5}> > >::_M_run()",
            "std::thread::_State_impl<std::thread::_Invoker<std::tuple<main()::<lambda()> > > >::_M_run(void)"
        ),
        ("f()::{lambda(int)#2}::operator()(int) const", "f()::<lambda(int)>::operator()"),
        // GCC's clones as plain symbols.
        ("worker_inner.constprop.0", "worker_inner"),
        ("block_in_read.part.0.cold", "block_in_read"),
        ("spin_on_hold", "spin_on_hold"),
    ])
    func sameFunction(ours: String, gdb: String) {
        #expect(FunctionNames.same(ours, gdb), "\(FunctionNames.normalized(ours)) vs \(FunctionNames.normalized(gdb))")
    }

    @Test(arguments: [
        ("worker_inner", "worker_middle"),
        ("lwp::demo::doze()", "lwp::demo::chain_outer"),
        ("lwp::demo::doze()", "other::doze"),
        ("operator()", "operator"),
        ("fixture_swift.spinOnHold() -> ()", "$s13fixture_swift10spinOnHoldyyF"),
        ("pthread_cond_wait", "pthread_cond_signal"),
        // glibc's aliases are one function only by its symbol table
        // (SymbolEvidence), not by their spelling.
        ("read", "__GI___libc_read"),
        ("__clone3", "clone3"),
        ("__read_nocancel", "read_nocancel"),
    ])
    func differentFunctions(ours: String, gdb: String) {
        #expect(!FunctionNames.same(ours, gdb))
    }

    @Test func normalizedForms() {
        #expect(FunctionNames.normalized("__GI___libc_read") == "__GI___libc_read")
        #expect(FunctionNames.glibcPublicName("__GI___libc_read") == "read")
        #expect(FunctionNames.glibcPublicName("___pthread_cond_wait") == "pthread_cond_wait")
        #expect(FunctionNames.normalized("f(int) [clone .isra.0] [clone .cold]") == "f")
        #expect(FunctionNames.normalized("std::function<void ()>::operator()() const") == "std::function<void ()>::operator()")
        #expect(FunctionNames.normalized("operator()") == "operator()")
        #expect(FunctionNames.normalized("std::tuple<main()::<lambda()> >") == "std::tuple<main::{lambda}>")
        #expect(FunctionNames.normalized("fixture_swift.spinOnHold() -> ()") == "fixture_swift.spinOnHold() -> ()")
    }
}
