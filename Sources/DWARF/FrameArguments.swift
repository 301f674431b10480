import ELF
import Unwind

/// One formal parameter of a frame's function, in gdb's words.
public struct FrameArgument: Sendable, Equatable {
    public var name: String
    /// `3`, `0x55d0c0a012a0 "text"`, `{...}`, `<optimized out>`.
    public var value: String
    /// The value the parameter had when the function was entered, from the
    /// caller's call site (gdb's `name@entry`); nil when unknown.
    public var entryValue: String?
    /// As gdb names it: `int`, `const char *`, `struct point *`.
    public var type: String

    public init(name: String, value: String, entryValue: String? = nil, type: String) {
        self.name = name
        self.value = value
        self.entryValue = entryValue
        self.type = type
    }

    /// gdb's `print entry-values default`: `n=3`, `n=n@entry=3` when both
    /// are known and equal, `n=4, n@entry=3` when they differ.
    public var gdbText: String {
        guard let entryValue else { return name + "=" + value }
        if entryValue == value { return name + "=" + name + "@entry=" + value }
        return name + "=" + value + ", " + name + "@entry=" + entryValue
    }
}

/// What the frame's function is known as, to check that a caller's call
/// site calls it (gdb refuses an entry value from a call to another function).
public struct CalleeIdentity: Sendable {
    public var names: Set<String>
    /// The function's first address in the process, for indirect calls.
    public var start: UInt64?
    /// Its DWARF, its module's and that module's load bias: a call that
    /// reached it through a tail call is traced through the function that
    /// jumped (gdb's tail-call frames), found in that module by name.
    public var scope: FunctionScope?
    public var debugInfo: DebugInfo?
    public var bias: UInt64
    public var functionNamed: @Sendable (String) -> FunctionScope?

    public init(names: Set<String>, start: UInt64?, scope: FunctionScope? = nil, debugInfo: DebugInfo? = nil,
                bias: UInt64 = 0, functionNamed: @escaping @Sendable (String) -> FunctionScope? = { _ in nil }) {
        self.names = names
        self.start = start
        self.scope = scope
        self.debugInfo = debugInfo
        self.bias = bias
        self.functionNamed = functionNamed
    }
}

extension DebugInfo {
    /// Enough parameters for any real function; more is garbage.
    static let maxParameters = 128

    /// The formal parameters of `scope` with their values in `frame`, in
    /// DIE order (gdb's); nil when the DIE cannot be read.
    /// - pc: the file address the frame's code is at (`pc - 1` for callers).
    /// - bias: the module's load bias, for DW_OP_addr.
    /// - withEntryValues: the frame is a real call (not inlined), whose
    ///   caller's call site may give the values at entry.
    public func arguments(of scope: FunctionScope, pc: FileAddress, bias: UInt64, frame: ArgumentFrame,
                          withEntryValues: Bool, symbolize: @escaping (UInt64) -> String? = { _ in nil }) -> [FrameArgument]? {
        let key = ArgumentPlanKey(die: scope.die, pc: pc.rawValue, withEntryValues: withEntryValues)
        guard let plan = cached(argumentPlanCache, key, build: { makePlan(scope, pc: pc.rawValue, withEntryValues: withEntryValues) })
        else { return nil }
        return evaluate(plan, bias: bias, frame: frame, symbolize: symbolize)
    }

    /// The plan's values in `frame`: each location evaluated, or its constant.
    func evaluate(_ plan: ArgumentPlan, bias: UInt64, frame: ArgumentFrame,
                  symbolize: @escaping (UInt64) -> String?) -> [FrameArgument]? {
        let text = ArgumentValueText(memory: frame.memory, registers: frame.registers, symbolize: symbolize)
        var context = locationContext(frame: frame, unitOffset: plan.unitOffset, addressSize: plan.addressSize, bias: bias)
        context.frameBase = plan.frameBase.flatMap { Self.value(of: $0, context) }
        return plan.parameters.map { parameter in
            var value = ArgumentValueText.optimizedOut
            if let location = parameter.location {
                let pieces = location.withUnsafeBytes { try? LocationExpression.evaluate($0, context) }
                if let pieces { value = text.text(pieces, type: parameter.type) }
            } else if let constant = parameter.constant {
                value = constantText(constant, type: parameter.type, text: text)
            }
            var entry: String? = nil
            if let register = parameter.entryRegister, let type = parameter.type, type.scalarSize != nil,
               let raw = frame.entryValue(register) {
                entry = text.text(value: raw, type: type)
            }
            return FrameArgument(name: parameter.name, value: value, entryValue: entry, type: parameter.typeName)
        }
    }

    /// Everything about `scope`'s parameters at `pc` that no frame changes.
    private func makePlan(_ scope: FunctionScope, pc: UInt64, withEntryValues: Bool) -> ArgumentPlan? {
        guard let unit = unit(containing: scope.die), let die = FullDIE.read(at: scope.die, in: unit, sections),
              let children = die.children(in: unit, sections, limit: 4096, firstOnly: true) else { return nil }
        let types = ArgumentTypeReader(sections: sections) { [self] in self.unit(containing: $0) }
        // Where the function starts: the parameters' locations there are their registers at entry.
        let entryPC = withEntryValues ? entryAddress(of: scope.subprogram) : nil
        var parameters: [ArgumentPlan.Parameter] = []
        var seenOrigins = Set<Int>()
        for child in children where child.tag == DWTag.formalParameter {
            guard parameters.count < Self.maxParameters else { break }
            let described = describe(child, in: unit)
            if let origin = described.origin { seenOrigins.insert(origin) }
            let type = types.type(at: described.type)
            let locationValue = child.value(DWArgumentAttribute.location)
            var parameter = ArgumentPlan.Parameter(
                name: described.name ?? "?", type: type, typeName: type?.gdbName ?? "void",
                location: locationValue.flatMap { LocationLists.expression($0, at: pc, unit: unit, sections) }.map { Array($0) },
                constant: locationValue == nil ? child.value(DWArgumentAttribute.constValue) : nil)
            if let entryPC, let locationValue, let bytes = LocationLists.expression(locationValue, at: entryPC, unit: unit, sections) {
                parameter.entryRegister = Self.bareRegister(bytes)
            }
            parameters.append(parameter)
        }
        // gdb adds the abstract instance's parameters the concrete one lacks, as optimized out.
        if let origin = die.reference(DWAttribute.abstractOrigin), let originUnit = self.unit(containing: origin),
           let abstract = FullDIE.read(at: origin, in: originUnit, sections),
           let abstractChildren = abstract.children(in: originUnit, sections, limit: 4096, firstOnly: true) {
            for child in abstractChildren where child.tag == DWTag.formalParameter && !seenOrigins.contains(child.offset) {
                guard parameters.count < Self.maxParameters else { break }
                let described = describe(child, in: originUnit)
                let type = types.type(at: described.type)
                parameters.append(.init(name: described.name ?? "?", type: type, typeName: type?.gdbName ?? "void"))
            }
        }
        return ArgumentPlan(parameters: parameters, frameBase: frameBaseExpression(of: scope.subprogram, pc: pc),
                            unitOffset: unit.header.offset, addressSize: Int(unit.header.addressSize))
    }

    /// DW_OP_regN or DW_OP_regx N alone: a parameter passed in a register.
    static func bareRegister(_ bytes: UnsafeRawBufferPointer) -> Int? {
        guard let first = bytes.first else { return nil }
        if (0x50...0x6f).contains(first), bytes.count == 1 { return Int(first - 0x50) }
        if first == 0x90 {
            var r = ByteReader(bytes, offset: 1)
            guard let n = try? r.uleb128(), r.isAtEnd, n < 64 else { return nil }
            return Int(n)
        }
        return nil
    }

    /// A parameter's name, type and abstract origin, through DW_AT_abstract_origin.
    func describe(_ die: FullDIE, in unit: CompilationUnit) -> (name: String?, type: Int?, origin: Int?) {
        var name = die.value(DWAttribute.name).flatMap { unit.string($0, sections) }
        var type = die.reference(DWAttribute.type)
        let origin = die.reference(DWAttribute.abstractOrigin)
        var next = origin
        for _ in 0 ..< 4 where name == nil || type == nil {
            guard let offset = next, let originUnit = self.unit(containing: offset),
                  let abstract = FullDIE.read(at: offset, in: originUnit, sections) else { break }
            if name == nil { name = abstract.value(DWAttribute.name).flatMap { originUnit.string($0, sections) } }
            if type == nil { type = abstract.reference(DWAttribute.type) }
            next = abstract.reference(DWAttribute.abstractOrigin)
        }
        return (name, type, origin)
    }

    private func constantText(_ constant: AttributeValue, type: ArgumentType?, text: ArgumentValueText) -> String {
        guard let type, let size = type.scalarSize else { return "{...}" }
        // gcc writes -1 for an unsigned short 65535: only the type's bytes count.
        let mask: UInt64 = size >= 8 ? .max : (1 << UInt64(8 * size)) - 1
        switch constant {
        case .unsigned(let v): return text.text(value: v & mask, type: type)
        case .signed(let v): return text.text(value: UInt64(bitPattern: v) & mask, type: type)
        case .block(let offset, let length):
            guard let bytes = LocationLists.slice(sections.info, offset, length) else { return ArgumentValueText.optimizedOut }
            return text.text([LocatedPiece(location: .implicit(Array(bytes)), size: nil)], type: type)
        default: return ArgumentValueText.optimizedOut
        }
    }

    /// DW_AT_frame_base's expression at `pc`; nil when the subprogram has none.
    func frameBaseExpression(of subprogram: Int, pc: UInt64) -> [UInt8]? {
        guard let unit = unit(containing: subprogram), let die = FullDIE.read(at: subprogram, in: unit, sections),
              let value = die.value(DWArgumentAttribute.frameBase),
              let bytes = LocationLists.expression(value, at: pc, unit: unit, sections) else { return nil }
        return Array(bytes)
    }

    /// An expression's result as a plain value (a frame base, a call value,
    /// a call target): the address or computed value, or a register's contents.
    static func value(of expression: [UInt8], _ context: LocationExpression.Context) -> UInt64? {
        let pieces = expression.withUnsafeBytes { try? LocationExpression.evaluate($0, context) }
        guard let pieces, pieces.count == 1 else { return nil }
        return plainValue(pieces[0].location, context.frame)
    }

    /// The subprogram's first address (DW_AT_low_pc or its first range).
    func entryAddress(of subprogram: Int) -> UInt64? {
        guard let unit = unit(containing: subprogram), let die = FullDIE.read(at: subprogram, in: unit, sections) else { return nil }
        if let low = die.value(DWAttribute.lowPC), let address = unit.address(low, sections) { return address }
        return unit.pcRanges(lowPC: nil, highPC: nil, ranges: die.value(DWAttribute.ranges), sections).first?.lowerBound
    }
}
