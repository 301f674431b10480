/// What the agreement scorer may consult, beyond the two backtraces, to
/// decide that the name we print is the function gdb names: facts from
/// outside tools about the target's files, never lwpscope's own symbolizer.
public struct SymbolEvidence: Sendable {
    /// The names the symbol table of the module mapped at a runtime address
    /// gives the function containing it (aliases: glibc's `read`, `__read`,
    /// `__libc_read` and `__GI___libc_read` are one address). The scorer
    /// passes an address inside the function: pc - 1 for a return address.
    public var functionNames: @Sendable (_ runtimeAddress: UInt64) -> [String]
    /// A name and its other spellings (demangled forms).
    public var spellings: @Sendable (_ name: String) -> [String]
    /// True when gdb's caller frame at this return address was synthesized
    /// for a tail call (the address follows a jmp, not a call): gdb rebuilds
    /// such frames from DWARF call-site information, which no unwinder can
    /// see and the issues leave out of scope, so they are not scored.
    public var isTailCallFrame: @Sendable (_ returnAddress: UInt64) -> Bool

    public init(
        functionNames: @escaping @Sendable (UInt64) -> [String] = { _ in [] },
        spellings: @escaping @Sendable (String) -> [String] = { [$0] },
        isTailCallFrame: @escaping @Sendable (UInt64) -> Bool = { _ in false }
    ) {
        self.functionNames = functionNames
        self.spellings = spellings
        self.isTailCallFrame = isTailCallFrame
    }

    /// No evidence: names must agree as printed (after normalization).
    public static let none = SymbolEvidence()

    /// Evidence about live process `pid`, read while it lives: its mappings
    /// now, the symbol tables of its files (nm, readelf) and the instructions
    /// before return addresses (/proc/PID/mem) when asked; the toolchains'
    /// demanglers for spellings.
    public static func live(pid: Int32) -> SymbolEvidence {
        let addresses = ProcessFileAddresses(pid: pid)
        return SymbolEvidence(
            functionNames: { runtimeAddress in
                guard let (path, address) = addresses.fileAddress(of: runtimeAddress) else { return [] }
                return symbolTables.value(for: path) { try? ModuleSymbolTable(path: path) }?
                    .functionNames(containing: address) ?? []
            },
            spellings: ExternalDemangler.spellings(of:),
            isTailCallFrame: { !CallSites.followsCall(pid: pid, returnAddress: $0) })
    }

    private static let symbolTables = LockedCache<String, ModuleSymbolTable?>()
}
