import ELF

/// A function whose code reads or writes a flag: where threads spin on it.
public struct ReferencingFunction: Sendable, Hashable, CustomStringConvertible {
    /// The raw (mangled) symbol name.
    public var name: String
    /// The function's bytes in the process.
    public var range: Range<RuntimeAddress>
    /// The function's bytes in the file's address space.
    public var linkRange: Range<FileAddress>

    public init(name: String, range: Range<RuntimeAddress>, linkRange: Range<FileAddress>) {
        self.name = name
        self.range = range
        self.linkRange = linkRange
    }

    /// The source function a compiler clone (`f.constprop.0`, `f.cold`) comes from.
    public var sourceName: String { Self.sourceName(of: name) }

    static func sourceName(of name: String) -> String {
        name.split(separator: ".", maxSplits: 1).first.map(String.init) ?? name
    }

    public var description: String {
        "\(name) \(range.lowerBound)-\(range.upperBound)"
    }
}

/// A flag with the code that uses it, ready for `HeldThreadMatcher`.
public struct HoldFlagReferences: Sendable, Hashable {
    public var flag: HoldFlag
    /// In address order.
    public var functions: [ReferencingFunction]
    /// The executable regions of the flag's module instance: a frame outside
    /// them is in a helper (libc, vDSO) the spinning code may have called.
    public var moduleCode: [Range<RuntimeAddress>]

    public init(flag: HoldFlag, functions: [ReferencingFunction], moduleCode: [Range<RuntimeAddress>]) {
        self.flag = flag
        self.functions = functions
        self.moduleCode = moduleCode
    }
}
