import Demangle

/// The name gdb prints for a function of a C++ or Rust unit (gdb's
/// dwarf2_physname, then cp_remove_params for C++). Other languages keep
/// the DWARF name FunctionNameResolver gives, which is already gdb's.
///
/// - C++: the linkage name along the DIE's origin and specification chain,
///   demangled without return type or parameters; without one, the
///   DW_AT_name prefixed with the enclosing namespaces and types (their
///   DW_AT_name holds template arguments as gdb prints them). A name gdb's
///   parser cannot read keeps its parameter list, as gdb spells it from
///   DWARF (only an out-of-line function has one: gdb computes none for
///   DW_TAG_inlined_subroutine).
/// - Rust: gdb ignores linkage names; the prefixed DW_AT_name, no parameters.
struct GDBFunctionNamer {
    enum Style: Sendable {
        case cxx, rust

        init?(language: UInt64?) {
            guard let language else { return nil }
            if DWLanguage.cPlusPlus.contains(language) { self = .cxx }
            else if language == DWLanguage.rust { self = .rust }
            else { return nil }
        }
    }

    let style: Style
    let contexts: NameContexts
    let parameters: CxxParameterList

    init(style: Style, unit: CompilationUnit, sections: DWARFSections, contexts: NameContexts) {
        self.style = style
        self.contexts = contexts
        parameters = CxxParameterList(unit: unit, sections: sections, contexts: contexts)
    }

    /// The name for the DIE at `offset`, whose chain is `chain`.
    func name(_ chain: FunctionNameResolver.Chain, at offset: Int, isInline: Bool) -> GDBName? {
        let plain = chain.name.map { raw in
            let name = style == .cxx ? GDBCxxName.canonicalized(raw) : raw
            let qualified = chain.last.map { contexts.qualified(name, at: $0) } ?? name
            guard style == .cxx, !isInline, !GDBCxxName.canParse(qualified) else { return qualified }
            return qualified + (parameters.text(forSubprogramAt: offset) ?? "")
        }
        if style == .cxx, let linkage = chain.linkage { return .cxxLinkage(linkage, otherwise: plain) }
        return plain.map(GDBName.exact)
    }
}

/// A gdb name as a unit's scopes keep it: a linkage name is demangled only
/// when a frame shows it (a unit has thousands of functions, a stack a few).
enum GDBName: Sendable {
    case exact(String)
    /// A C++ linkage name, and the DWARF name to print if it does not demangle.
    case cxxLinkage(String, otherwise: String?)

    var text: String? {
        switch self {
        case .exact(let name): name
        case .cxxLinkage(let mangled, let otherwise): GDBCxxName.frameName(linkage: mangled) ?? otherwise
        }
    }
}
