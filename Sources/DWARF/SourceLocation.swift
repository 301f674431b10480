/// A place in a source file.
public struct SourceLocation: Sendable, Equatable, Hashable {
    /// The full path: the line table's file joined with its directory and
    /// DW_AT_comp_dir when relative (gdb's "fullname").
    public var file: String
    public var line: Int

    public init(file: String, line: Int) {
        self.file = file
        self.line = line
    }
}

/// One frame of the source-level view of an address: the function and where in it.
public struct SourceFrame: Sendable, Equatable {
    /// The function's name: DW_AT_linkage_name (mangled, e.g. _ZN...) if
    /// present, else DW_AT_name, found through DW_AT_abstract_origin and
    /// DW_AT_specification. nil when unknown.
    public var function: String?
    /// The name gdb prints for the function, in C++ and Rust units
    /// (`app::Worker<long>::run`, `std::sys::sync::condvar::futex::Condvar::wait`);
    /// nil in other languages, where `function` is gdb's name already.
    public var name: String?
    /// Where this frame is: for the innermost frame, the line table's row for
    /// the address; for each outer frame, the DW_AT_call_file/DW_AT_call_line of
    /// the inlined subroutine it contains.
    public var location: SourceLocation?
    /// true for frames of DW_TAG_inlined_subroutine, false for the containing DW_TAG_subprogram.
    public var isInline: Bool
    /// The scope's DIE, where its parameters are (`DebugInfo.arguments`):
    /// where the frame is described, not what it is, so `==` ignores it.
    public var scope: FunctionScope? = nil

    public init(function: String?, name: String? = nil, location: SourceLocation?, isInline: Bool) {
        self.function = function
        self.name = name
        self.location = location
        self.isInline = isInline
    }

    public static func == (a: SourceFrame, b: SourceFrame) -> Bool {
        a.function == b.function && a.name == b.name && a.location == b.location && a.isInline == b.isInline
    }
}

/// A function or inlined call's DIE, and the subprogram that holds its code
/// (the frame base and call sites are that one's): offsets in .debug_info.
public struct FunctionScope: Sendable, Equatable, Hashable {
    public var die: Int
    public var subprogram: Int
}
