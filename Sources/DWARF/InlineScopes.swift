import Demangle
import ELF

/// A function or inlined call in one unit: what the frames of an address are made of.
struct InlineScope: Sendable {
    var function: String?
    /// The name gdb prints, in C++ and Rust units (GDBFunctionNamer).
    var gdbName: GDBName? = nil
    var isInline: Bool
    /// Where the inlined call is, in the unit's line table numbering.
    var callFile: UInt64?
    var callLine: UInt64?
    /// Index of the enclosing scope, -1 for none.
    var parent: Int32
    /// Nesting depth in the DIE tree, so the innermost covering scope wins.
    var depth: Int32
    /// The DIE's .debug_info offset, for its parameters.
    var dieOffset: Int = -1
}

/// Every subprogram and inlined subroutine of one unit, with their address
/// ranges indexed, built by one pass over the unit's DIEs.
struct UnitScopes: Sendable {
    /// Deeper nesting than this is garbage, not code.
    static let maxDepth = 256

    private(set) var scopes: [InlineScope] = []
    private var index = IntervalIndex<Int32>()

    init(unit: CompilationUnit, sections: DWARFSections, unitContaining: @escaping (Int) -> CompilationUnit?) {
        var names = FunctionNameResolver(sections: sections, unit: unit, unitContaining: unitContaining)
        let style = GDBFunctionNamer.Style(language: unit.language)
        var contexts = NameContexts()
        // The context each open DIE's children sit in, beside `parents`.
        var contextStack: [Int32] = []
        // Scopes with code, named once every context is known: a chain may lead forward.
        var pending: [(scope: Int, die: DIEAttributes, offset: Int)] = []
        var ranges: [(start: UInt64, end: UInt64, payload: Int32)] = []
        // For each open DIE with children: the scope its children belong to,
        // or `skipped` inside a subtree that cannot hold code.
        let skipped: Int32 = -2
        var parents: [Int32] = []
        var r = ByteReader(sections.info, offset: unit.header.firstDIEOffset)
        let end = min(unit.header.end, sections.info.count)
        let encoding = unit.encoding
        do throws(ByteReadError) {
            // The unit's own DIE: its children are top-level.
            let topCode = try r.uleb128()
            guard let top = unit.abbreviations[topCode] else { return }
            _ = try DIEAttributes(top, encoding: encoding, reader: &r, keep: false)
            guard top.hasChildren else { return }
            parents.append(-1)
            contextStack.append(-1)

            while r.offset < end, let parent = parents.last {
                let dieOffset = r.offset
                let code = try r.uleb128()
                if code == 0 {
                    parents.removeLast()
                    if style != nil, contextStack.count > 1 {
                        let closed = contextStack.removeLast()
                        if closed != contextStack.last { contexts.mark(r.offset, contextStack.last ?? -1) }
                    }
                    continue
                }
                let context = contextStack.last ?? -1
                guard let abbreviation = unit.abbreviations[code] else { break }
                if parent == skipped {
                    _ = try DIEAttributes(abbreviation, encoding: encoding, reader: &r, keep: false)
                    if abbreviation.hasChildren {
                        parents.append(skipped)
                        if style != nil { contextStack.append(context) }
                    }
                } else if abbreviation.tag == DWTag.subprogram || abbreviation.tag == DWTag.inlinedSubroutine {
                    let die = try DIEAttributes(abbreviation, encoding: encoding, reader: &r, keep: true)
                    let scopeIndex = Int32(scopes.count)
                    let isInline = die.tag == DWTag.inlinedSubroutine
                    let pcRanges = unit.pcRanges(lowPC: die.lowPC, highPC: die.highPC, ranges: die.ranges, sections)
                    // Declarations and abstract instances cover no code: no need to name them.
                    scopes.append(InlineScope(function: pcRanges.isEmpty ? nil : names.name(of: die), isInline: isInline,
                                              callFile: isInline ? die.callFile : nil, callLine: isInline ? die.callLine : nil,
                                              parent: parent, depth: Int32(parents.count), dieOffset: dieOffset))
                    if style != nil, !pcRanges.isEmpty { pending.append((Int(scopeIndex), die, dieOffset)) }
                    for range in pcRanges { ranges.append((range.lowerBound, range.upperBound, scopeIndex)) }
                    if die.hasChildren {
                        parents.append(scopeIndex)
                        if style != nil {
                            contextStack.append(isInline ? context : contexts.open(.function, name: nil, parent: context, childrenOffset: r.offset))
                        }
                    }
                } else if UnitScopes.mayHoldCode(abbreviation.tag) {
                    let die = try DIEAttributes(abbreviation, encoding: encoding, reader: &r, keep: style != nil)
                    if abbreviation.hasChildren {
                        parents.append(parent)
                        if style != nil {
                            contextStack.append(Self.nameContext(die, in: context, childrenOffset: r.offset, style, &contexts, unit, sections))
                        }
                    }
                } else {
                    let die = try DIEAttributes(abbreviation, encoding: encoding, reader: &r, keep: false)
                    guard die.hasChildren else { continue }
                    // Jump over the subtree when DW_AT_sibling says where it ends.
                    if let sibling = die.sibling, let target = Int(exactly: sibling), target > r.offset, target <= end {
                        try r.seek(to: target)
                    } else {
                        parents.append(skipped)
                        if style != nil { contextStack.append(context) }
                    }
                }
                if parents.count > UnitScopes.maxDepth { break }
            }
        } catch {
            // A truncated unit keeps the scopes read before the damage.
        }
        index = IntervalIndex(ranges)
        guard let style else { return }
        let namer = GDBFunctionNamer(style: style, unit: unit, sections: sections, contexts: contexts)
        for (scope, die, offset) in pending {
            scopes[scope].gdbName = namer.name(names.chain(of: die, at: offset), at: offset, isInline: scopes[scope].isInline)
        }
    }

    /// The context a namespace, class, structure or union opens (lexical
    /// blocks and the like open none: their children stay in `context`).
    private static func nameContext(
        _ die: DIEAttributes, in context: Int32, childrenOffset: Int, _ style: GDBFunctionNamer.Style?,
        _ contexts: inout NameContexts, _ unit: CompilationUnit, _ sections: DWARFSections
    ) -> Int32 {
        let kind: NameContexts.Kind
        switch die.tag {
        case DWTag.namespace, DWTag.module: kind = .namespace
        case DWTag.classType, DWTag.structureType, DWTag.unionType: kind = .type
        default: return context
        }
        let name = die.name.flatMap { unit.string($0, sections) }.map { style == .cxx ? GDBCxxName.canonicalized($0) : $0 }
        return contexts.open(kind, name: name, parent: context, childrenOffset: childrenOffset)
    }

    /// DIEs whose children may be functions or inlined calls with code.
    private static func mayHoldCode(_ tag: UInt64) -> Bool {
        switch tag {
        case DWTag.lexicalBlock, DWTag.namespace, DWTag.module, DWTag.tryBlock, DWTag.catchBlock,
             DWTag.classType, DWTag.structureType, DWTag.unionType:
            true
        default:
            false
        }
    }

    /// The scopes containing `address`, innermost first, up to and including
    /// the first subprogram: the chain gdb prints for one pc.
    func chain(at address: UInt64) -> [Int] {
        var innermost: Int32 = -1
        var innermostDepth: Int32 = -1
        index.forEachCovering(address) { scope, _, _ in
            let depth = scopes[Int(scope)].depth
            if depth > innermostDepth {
                innermost = scope
                innermostDepth = depth
            }
            return true
        }
        var result: [Int] = []
        var current = innermost
        // Each parent is shallower than its child, so this ends.
        while current >= 0, Int(current) < scopes.count, result.count <= UnitScopes.maxDepth {
            result.append(Int(current))
            let scope = scopes[Int(current)]
            if !scope.isInline { break }
            current = scope.parent
        }
        return result
    }
}
