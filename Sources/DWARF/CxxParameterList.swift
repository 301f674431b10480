import Demangle

/// A C++ function's parameter list as gdb spells it from DWARF types
/// (c_type_print_args): `(const std::_Any_data &)`, `(void)` when there are
/// none, ` const` after it for a method of a const object. gdb prints one
/// only in names its parser cannot take apart (GDBCxxName.canParse).
struct CxxParameterList {
    /// Deeper type chains than this are loops.
    static let maxTypeDepth = 16

    let unit: CompilationUnit
    let sections: DWARFSections
    let contexts: NameContexts

    /// The list for the subprogram DIE at `offset`; nil when a parameter's
    /// type is one this printer does not spell (function pointers, arrays).
    func text(forSubprogramAt offset: Int) -> String? {
        guard let die = FullDIE.read(at: offset, in: unit, sections),
              let children = die.children(in: unit, sections) else { return nil }
        var parameters: [String] = []
        var isConstMethod = false
        var varargs = false
        for child in children {
            if child.tag == DWTag.unspecifiedParameters { varargs = true }
            guard child.tag == DWTag.formalParameter else { continue }
            let origin = child.reference(DWAttribute.abstractOrigin).flatMap { FullDIE.read(at: $0, in: unit, sections) }
            let artificial = child.flag(DWAttribute.artificial) || (origin?.flag(DWAttribute.artificial) ?? false)
            guard let type = child.reference(DWAttribute.type) ?? origin?.reference(DWAttribute.type) else { return nil }
            if artificial {
                // `this`: not printed; a pointer to const makes a const method.
                if parameters.isEmpty, !isConstMethod { isConstMethod = pointsToConst(type) }
                continue
            }
            // Top-level const and volatile do not make another overload: gdb drops them.
            guard let spelled = name(ofType: strippingCV(type), depth: 0) else { return nil }
            parameters.append(spelled)
        }
        if varargs, !parameters.isEmpty { parameters.append("...") }
        let list = "(" + (parameters.isEmpty ? "void" : parameters.joined(separator: ", ")) + ")"
        return isConstMethod ? list + " const" : list
    }

    private func strippingCV(_ offset: Int) -> Int {
        var current = offset
        for _ in 0 ..< Self.maxTypeDepth {
            guard let die = FullDIE.read(at: current, in: unit, sections),
                  die.tag == DWTag.constType || die.tag == DWTag.volatileType,
                  let inner = die.reference(DWAttribute.type) else { return current }
            current = inner
        }
        return current
    }

    private func pointsToConst(_ offset: Int) -> Bool {
        guard let pointer = FullDIE.read(at: strippingCV(offset), in: unit, sections), pointer.tag == DWTag.pointerType,
              let target = pointer.reference(DWAttribute.type),
              let pointee = FullDIE.read(at: target, in: unit, sections) else { return false }
        return pointee.tag == DWTag.constType
    }

    /// gdb's spelling of the type at `offset`: `const T`, `T *`, `T * const`, `T &`.
    func name(ofType offset: Int, depth: Int) -> String? {
        guard depth < Self.maxTypeDepth, let die = FullDIE.read(at: offset, in: unit, sections) else { return nil }
        let inner = die.reference(DWAttribute.type)
        switch die.tag {
        case DWTag.baseType, DWTag.unspecifiedType:
            return ownName(die)
        case DWTag.typedef, DWTag.structureType, DWTag.classType, DWTag.unionType, DWTag.enumerationType:
            return ownName(die).map { contexts.qualified($0, at: die.offset) }
        case DWTag.pointerType, DWTag.referenceType, DWTag.rvalueReferenceType:
            let target = inner.map { name(ofType: $0, depth: depth + 1) } ?? "void"
            guard let target else { return nil }
            let marker = die.tag == DWTag.pointerType ? "*" : die.tag == DWTag.referenceType ? "&" : "&&"
            // `char **`, `T *&`: declarators run together after the first space.
            return target.hasSuffix("*") || target.hasSuffix("&") ? target + marker : target + " " + marker
        case DWTag.constType, DWTag.volatileType:
            let qualifier = die.tag == DWTag.constType ? "const" : "volatile"
            let target = inner.map { name(ofType: $0, depth: depth + 1) } ?? "void"
            guard let target else { return nil }
            // A qualified pointer reads `T * const`; anything else `const T`.
            return target.hasSuffix("*") ? target + " " + qualifier : qualifier + " " + target
        default:
            return nil
        }
    }

    private func ownName(_ die: FullDIE) -> String? {
        die.value(DWAttribute.name).flatMap { unit.string($0, sections) }.map(GDBCxxName.canonicalized)
    }
}
