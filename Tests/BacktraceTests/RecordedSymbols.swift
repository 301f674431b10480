import TestSupport

/// Symbol evidence for the hand-written backtraces of GDBText: glibc's
/// symbol table as nm prints it on Debian 12 (libc6-dbg 2.36, the debug file
/// and libc.so.6's .dynsym), at the load address of the run GDBText was
/// written down from. Only the functions those backtraces pass through.
enum RecordedSymbols {
    static let libcLoadAddress: UInt64 = 0x7f8f_59e1_e000

    static let libcNM = """
    00000000000271d0 00000000000000ac t __libc_start_call_main
    0000000000027280 0000000000000141 T __libc_start_main@@GLIBC_2.34
    0000000000027280 0000000000000141 T __libc_start_main@GLIBC_2.2.5
    0000000000027280 0000000000000141 t __libc_start_main_impl
    0000000000088ef0 000000000000048e t start_thread
    00000000000cf4e0 0000000000000086 T clock_nanosleep@@GLIBC_2.17
    00000000000cf4e0 0000000000000086 T clock_nanosleep@GLIBC_2.2.5
    00000000000cf4e0 0000000000000086 t __GI___clock_nanosleep
    00000000000cf4e0 0000000000000086 t __clock_nanosleep
    00000000000d3e40 0000000000000031 T __nanosleep
    00000000000d3e40 0000000000000031 W nanosleep
    00000000000d3e40 0000000000000031 t __GI___nanosleep
    00000000000f82a0 000000000000009d T __read
    00000000000f82a0 000000000000009d T read
    00000000000f82a0 000000000000009d t __GI___libc_read
    00000000000f82a0 000000000000009d t __libc_read
    00000000000fd100 0000000000000024 T __read_nocancel
    00000000000fd100 0000000000000024 t __GI___read_nocancel
    00000000001098c0 0000000000000047 t __clone3
    00000000001098c0 0000000000000047 t clone3
    """

    static let libc = ModuleSymbolTable(symbols: ModuleSymbolTable.parse(nmOutput: libcNM))

    /// libc's names for an address of that run; nothing for other modules.
    static let evidence = SymbolEvidence(functionNames: { address in
        guard address >= libcLoadAddress else { return [] }
        return libc.functionNames(containing: address - libcLoadAddress)
    })
}
