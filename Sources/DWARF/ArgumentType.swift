import ELF

/// A parameter's type, resolved from DW_AT_type far enough to print a value
/// as gdb does and to name the type as gdb writes it.
indirect enum ArgumentType: Equatable, Sendable {
    case base(name: String, encoding: UInt64, size: Int)
    /// nil target: `void *`.
    case pointer(to: ArgumentType?, size: Int)
    case enumeration(name: String?, size: Int, enumerators: [Enumerator])
    /// struct, union or class: printed `{...}` (gdb's `all` setting prints it whole).
    case aggregate(keyword: String, name: String?, size: Int?)
    case array(of: ArgumentType?)
    case function(returning: ArgumentType?)
    case qualified(String, ArgumentType?)
    case typedef(String, ArgumentType?)
    case unknown

    struct Enumerator: Equatable, Sendable {
        var name: String
        var value: Int64
    }

    /// Through typedefs and qualifiers to what decides how the value prints.
    var stripped: ArgumentType? {
        var type: ArgumentType? = self
        for _ in 0 ..< 32 {
            switch type {
            case .typedef(_, let inner)?, .qualified(_, let inner)?: type = inner
            default: return type
            }
        }
        return nil
    }

    /// Bytes a value of this type takes, when a scalar: nil for aggregates and unknowns.
    var scalarSize: Int? {
        switch stripped {
        case .base(_, _, let size)?: return size
        case .pointer(_, let size)?: return size
        case .enumeration(_, let size, _)?: return size
        default: return nil
        }
    }

    /// One byte of character data: `char`, `signed char`, `unsigned char`.
    var isCharacter: Bool {
        guard case .base(_, let encoding, 1)? = stripped else { return false }
        return encoding == DWBaseEncoding.signedChar || encoding == DWBaseEncoding.unsignedChar
    }

    /// The name gdb prints for the type: `const char *`, `struct point *`, `size_t`.
    var gdbName: String {
        switch self {
        case .base(let name, _, _): return name
        case .typedef(let name, _): return name
        case .qualified(let qualifier, let inner):
            guard let inner else { return qualifier + " void" }
            if case .pointer? = inner.stripped, !isTypedefOrBase(inner) { return inner.gdbName + " " + qualifier }
            return qualifier + " " + inner.gdbName
        case .pointer(let target, _):
            guard let target else { return "void *" }
            if case .function(let result)? = target.stripped { return (result?.gdbName ?? "void") + " (*)(void)" }
            let name = target.gdbName
            return name.hasSuffix("*") ? name + "*" : name + " *"
        case .enumeration(let name, _, _): return "enum " + (name ?? "{...}")
        case .aggregate(let keyword, let name, _): return keyword.isEmpty ? (name ?? "{...}") : keyword + " " + (name ?? "{...}")
        case .array(let element): return (element?.gdbName ?? "void") + " *"
        case .function(let result): return (result?.gdbName ?? "void") + " (void)"
        case .unknown: return "<unknown type>"
        }
    }

    private func isTypedefOrBase(_ type: ArgumentType) -> Bool {
        if case .typedef = type { return true }
        return false
    }
}

/// Reads type DIEs into `ArgumentType`, following references across units.
struct ArgumentTypeReader {
    static let maxDepth = 16
    static let maxEnumerators = 4096

    let sections: DWARFSections
    let unitContaining: (Int) -> CompilationUnit?

    func type(at offset: Int?, depth: Int = 0) -> ArgumentType? {
        guard let offset else { return nil }
        guard depth < Self.maxDepth, let unit = unitContaining(offset),
              let die = FullDIE.read(at: offset, in: unit, sections) else { return .unknown }
        let inner = { self.type(at: die.reference(DWAttribute.type), depth: depth + 1) }
        let name = die.value(DWAttribute.name).flatMap { unit.string($0, sections) }
        let size = die.value(DWArgumentAttribute.byteSize)?.number.flatMap { Int(exactly: $0) }
        switch die.tag {
        case DWTag.baseType:
            return .base(name: name ?? "?", encoding: die.value(DWArgumentAttribute.encoding)?.number ?? 0, size: size ?? 0)
        case DWTag.pointerType, DWTag.referenceType, DWTag.rvalueReferenceType:
            return .pointer(to: inner(), size: size ?? Int(unit.header.addressSize))
        case DWTag.typedef: return .typedef(name ?? "?", inner())
        case DWTag.constType: return .qualified("const", inner())
        case DWTag.volatileType: return .qualified("volatile", inner())
        case DWTag.restrictType, DWArgumentTag.atomicType: return inner()
        case DWTag.enumerationType:
            return .enumeration(name: name, size: size ?? 4, enumerators: enumerators(of: die, in: unit))
        case DWTag.structureType: return .aggregate(keyword: "struct", name: name, size: size)
        case DWTag.unionType: return .aggregate(keyword: "union", name: name, size: size)
        case DWTag.classType: return .aggregate(keyword: "", name: name, size: size)
        case DWTag.arrayType: return .array(of: inner())
        case DWTag.subroutineType: return .function(returning: inner())
        case DWTag.unspecifiedType: return .base(name: name ?? "void", encoding: 0, size: 0)
        default: return .unknown
        }
    }

    private func enumerators(of die: FullDIE, in unit: CompilationUnit) -> [ArgumentType.Enumerator] {
        guard let children = die.children(in: unit, sections, limit: Self.maxEnumerators, firstOnly: true) else { return [] }
        var result: [ArgumentType.Enumerator] = []
        for child in children.prefix(Self.maxEnumerators) where child.tag == DWArgumentTag.enumerator {
            guard let name = child.value(DWAttribute.name).flatMap({ unit.string($0, sections) }) else { continue }
            switch child.value(DWArgumentAttribute.constValue) {
            case .signed(let v)?: result.append(.init(name: name, value: v))
            case .unsigned(let v)?: result.append(.init(name: name, value: Int64(bitPattern: v)))
            default: continue
            }
        }
        return result
    }
}
