import ELF

/// A frame's local variables, as gdb's `info locals` lists them: the
/// variables of the function (or inlined call) and of every lexical block
/// around the pc, innermost block first, each valued like an argument.
extension DebugInfo {
    /// Enough locals for any real function; more is garbage.
    static let maxLocals = 256
    /// Blocks nest this deep at most; deeper is a loop in bad DWARF.
    static let maxBlockDepth = 32

    /// The variables in scope at `pc` with their values in `frame`; nil when
    /// the DIE cannot be read. Same parameters as `arguments(of:…)`.
    public func locals(of scope: FunctionScope, pc: FileAddress, bias: UInt64, frame: ArgumentFrame,
                       symbolize: @escaping (UInt64) -> String? = { _ in nil }) -> [FrameArgument]? {
        let key = ArgumentPlanKey(die: scope.die, pc: pc.rawValue, withEntryValues: false)
        guard let plan = cached(localsPlanCache, key, build: { makeLocalsPlan(scope, pc: pc.rawValue) }) else { return nil }
        return evaluate(plan, bias: bias, frame: frame, symbolize: symbolize)
    }

    private func makeLocalsPlan(_ scope: FunctionScope, pc: UInt64) -> ArgumentPlan? {
        guard let unit = unit(containing: scope.die), let die = FullDIE.read(at: scope.die, in: unit, sections) else { return nil }
        var walk = LocalsWalk(debugInfo: self, unit: unit, pc: pc)
        // Outermost first while walking; gdb prints the innermost block's first.
        var levels: [[ArgumentPlan.Parameter]] = []
        var current: FullDIE? = die
        while let block = current, levels.count < Self.maxBlockDepth {
            var variables: [ArgumentPlan.Parameter] = []
            current = walk.level(block, into: &variables, depth: 0)
            levels.append(variables)
        }
        return ArgumentPlan(parameters: levels.reversed().flatMap { $0 },
                            frameBase: frameBaseExpression(of: scope.subprogram, pc: pc), unitOffset: unit.header.offset,
                            addressSize: Int(unit.header.addressSize))
    }
}

/// One level of a locals walk: a block's variables, with those of its
/// range-less blocks (gdb reads a DW_TAG_lexical_block without addresses as
/// if its children were its parent's), and the inner block holding the pc.
private struct LocalsWalk {
    let debugInfo: DebugInfo
    let unit: CompilationUnit
    let pc: UInt64
    let types: ArgumentTypeReader
    var count = 0

    init(debugInfo: DebugInfo, unit: CompilationUnit, pc: UInt64) {
        self.debugInfo = debugInfo
        self.unit = unit
        self.pc = pc
        types = ArgumentTypeReader(sections: debugInfo.sections) { debugInfo.unit(containing: $0) }
    }

    /// Adds `block`'s variables; returns the lexical block within it that holds the pc.
    mutating func level(_ block: FullDIE, into variables: inout [ArgumentPlan.Parameter], depth: Int) -> FullDIE? {
        let sections = debugInfo.sections
        guard depth < DebugInfo.maxBlockDepth,
              let children = block.children(in: unit, sections, limit: 4096, firstOnly: true) else { return nil }
        var inner: FullDIE? = nil
        var origins = Set<Int>()
        for child in children {
            if child.tag == DWTag.variable, count < DebugInfo.maxLocals {
                let described = debugInfo.describe(child, in: unit)
                if let origin = described.origin { origins.insert(origin) }
                let type = types.type(at: described.type)
                let locationValue = child.value(DWArgumentAttribute.location)
                variables.append(ArgumentPlan.Parameter(
                    name: described.name ?? "?", type: type, typeName: type?.gdbName ?? "void",
                    location: locationValue.flatMap { LocationLists.expression($0, at: pc, unit: unit, sections) }.map { Array($0) },
                    constant: locationValue == nil ? child.value(DWArgumentAttribute.constValue) : nil))
                count += 1
            } else if child.tag == DWTag.lexicalBlock, let full = FullDIE.read(at: child.offset, in: unit, sections) {
                let ranges = unit.pcRanges(lowPC: full.value(DWAttribute.lowPC), highPC: full.value(DWAttribute.highPC),
                                           ranges: full.value(DWAttribute.ranges), sections)
                if full.value(DWAttribute.lowPC) == nil && full.value(DWAttribute.ranges) == nil {
                    if let found = level(full, into: &variables, depth: depth + 1), inner == nil { inner = found }
                } else if inner == nil, ranges.contains(where: { $0.contains(pc) }) {
                    inner = full
                }
            }
        }
        return inner
    }
}
