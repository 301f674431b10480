import ELF

/// How to compute the canonical frame address (the caller's sp at the call).
public enum CFARule: Equatable, Sendable {
    /// Not yet defined (a CIE that never set it).
    case undefined
    case registerOffset(register: Int, offset: Int64)
    /// DW_CFA_def_cfa_expression: the expression's value is the CFA.
    case expression([UInt8])
}

/// How to recover a caller's register from the callee's frame.
public enum RegisterRule: Equatable, Sendable {
    /// No rule given: callee-saved registers keep their value, others are lost.
    case unspecified
    case undefined
    case sameValue
    /// Saved at CFA+N.
    case offset(Int64)
    /// The value is CFA+N.
    case valOffset(Int64)
    /// The value is in another register.
    case register(Int)
    /// Saved at the address the expression computes (CFA pushed first).
    case expression([UInt8])
    /// The expression computes the value itself (CFA pushed first).
    case valExpression([UInt8])
}

/// One row of the unwind table: the rules valid for `pcRange`.
public struct UnwindRow: Equatable, Sendable {
    public var pcRange: Range<FileAddress>
    public var cfa: CFARule
    /// One rule per tracked DWARF register (architecture.registerCount).
    public var rules: [RegisterRule]
    public var returnAddressRegister: Int
    /// From CIE augmentation "S": this is a signal trampoline; its caller's pc
    /// is the interrupted instruction, not a return address.
    public var isSignalFrame: Bool
    /// DW_CFA_GNU_args_size: bytes of outgoing arguments pushed at this pc.
    public var argsSize: UInt64

    public subscript(register: Int) -> RegisterRule {
        register >= 0 && register < rules.count ? rules[register] : .unspecified
    }

    /// The rule for the return-address column.
    public var returnAddressRule: RegisterRule { self[returnAddressRegister] }
}
