import ELF

/// A function or inlined call in one unit: what the frames of an address are made of.
struct InlineScope: Sendable {
    var function: String?
    var isInline: Bool
    /// Where the inlined call is, in the unit's line table numbering.
    var callFile: UInt64?
    var callLine: UInt64?
    /// Index of the enclosing scope, -1 for none.
    var parent: Int32
    /// Nesting depth in the DIE tree, so the innermost covering scope wins.
    var depth: Int32
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

            while r.offset < end, let parent = parents.last {
                let code = try r.uleb128()
                if code == 0 {
                    parents.removeLast()
                    continue
                }
                guard let abbreviation = unit.abbreviations[code] else { break }
                if parent == skipped {
                    _ = try DIEAttributes(abbreviation, encoding: encoding, reader: &r, keep: false)
                    if abbreviation.hasChildren { parents.append(skipped) }
                } else if abbreviation.tag == DWTag.subprogram || abbreviation.tag == DWTag.inlinedSubroutine {
                    let die = try DIEAttributes(abbreviation, encoding: encoding, reader: &r, keep: true)
                    let scopeIndex = Int32(scopes.count)
                    let isInline = die.tag == DWTag.inlinedSubroutine
                    let pcRanges = unit.pcRanges(lowPC: die.lowPC, highPC: die.highPC, ranges: die.ranges, sections)
                    // Declarations and abstract instances cover no code: no need to name them.
                    scopes.append(InlineScope(function: pcRanges.isEmpty ? nil : names.name(of: die), isInline: isInline,
                                              callFile: isInline ? die.callFile : nil, callLine: isInline ? die.callLine : nil,
                                              parent: parent, depth: Int32(parents.count)))
                    for range in pcRanges { ranges.append((range.lowerBound, range.upperBound, scopeIndex)) }
                    if die.hasChildren { parents.append(scopeIndex) }
                } else if UnitScopes.mayHoldCode(abbreviation.tag) {
                    _ = try DIEAttributes(abbreviation, encoding: encoding, reader: &r, keep: false)
                    if abbreviation.hasChildren { parents.append(parent) }
                } else {
                    let die = try DIEAttributes(abbreviation, encoding: encoding, reader: &r, keep: false)
                    guard die.hasChildren else { continue }
                    // Jump over the subtree when DW_AT_sibling says where it ends.
                    if let sibling = die.sibling, let target = Int(exactly: sibling), target > r.offset, target <= end {
                        try r.seek(to: target)
                    } else {
                        parents.append(skipped)
                    }
                }
                if parents.count > UnitScopes.maxDepth { break }
            }
        } catch {
            // A truncated unit keeps the scopes read before the damage.
        }
        index = IntervalIndex(ranges)
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
