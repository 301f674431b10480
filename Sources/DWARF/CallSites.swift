import ELF
import Unwind

/// Entry values (DW_OP_entry_value and gdb's `name@entry`): what a register
/// held when a function was entered, from the DW_TAG_call_site in its
/// caller whose return address is the caller frame's pc. Its
/// DW_TAG_call_site_parameter for that register has a DW_AT_call_value
/// expression, evaluated in the caller's frame.
extension DebugInfo {
    /// Call sites nest inside lexical blocks; deeper is garbage.
    static let maxCallSiteDepth = 16

    /// - returnAddress: the caller frame's pc, a return address, as a file address of this module.
    /// - bias: this module's load bias, for DW_OP_addr.
    /// - caller: the caller's frame, whose registers the call value reads.
    /// - callee: the function called; a call site that calls another is no answer.
    public func entryValue(register: Int, returnAddress: FileAddress, bias: UInt64, caller: ArgumentFrame,
                           callee: CalleeIdentity) -> UInt64? {
        let callPC = returnAddress.rawValue &- 1
        let scopes = frames(at: FileAddress(callPC)).compactMap(\.scope)
        guard let subprogram = scopes.last?.subprogram, let unit = unit(containing: subprogram) else { return nil }
        var site: FullDIE? = nil
        for scope in scopes {
            guard let die = FullDIE.read(at: scope.die, in: unit, sections) else { continue }
            if let found = callSite(in: die, returning: returnAddress.rawValue, unit: unit, depth: 0) {
                site = found
                break
            }
        }
        guard let site else { return nil }
        var context = LocationExpression.Context(frame: caller, frameBase: nil, addressSize: Int(unit.header.addressSize),
                                                 addressBias: bias, addressAtIndex: { unit.address(index: $0, self.sections) })
        context.frameBase = frameBase(of: subprogram, pc: callPC, context)
        if calls(site, callee, unit: unit, context) { return parameterValue(site, register: register, unit: unit, context) }
        // A call to a function that jumped on to the callee (gdb's tail-call
        // frames): that function's tail-call site passes the values on, its
        // own entry values being this call site's.
        guard let calleeScope = callee.scope, let calleeInfo = callee.debugInfo,
              let origin = site.reference(DWArgumentAttribute.callOrigin) ?? site.reference(DWAttribute.abstractOrigin)
        else { return nil }
        for name in Set(names(of: origin)) {
            guard let jumping = callee.functionNamed(name),
                  let (tail, tailUnit) = calleeInfo.tailCallSite(in: jumping.subprogram, to: calleeScope.subprogram, named: callee.names) else { continue }
            var jumper = caller
            jumper.cfa = nil
            jumper.entryValue = { [self] register in self.parameterValue(site, register: register, unit: unit, context) }
            let tailContext = LocationExpression.Context(
                frame: jumper, frameBase: nil, addressSize: Int(tailUnit.header.addressSize), addressBias: callee.bias,
                addressAtIndex: { tailUnit.address(index: $0, calleeInfo.sections) })
            return calleeInfo.parameterValue(tail, register: register, unit: tailUnit, tailContext)
        }
        return nil
    }

    /// The call site parameter for `register`: its DW_AT_call_value in `context`.
    func parameterValue(_ site: FullDIE, register: Int, unit: CompilationUnit,
                                _ context: LocationExpression.Context) -> UInt64? {
        guard let parameters = site.children(in: unit, sections, limit: 64, firstOnly: true) else { return nil }
        for parameter in parameters
        where parameter.tag == DWArgumentTag.callSiteParameter || parameter.tag == DWArgumentTag.gnuCallSiteParameter {
            guard case .block(let offset, let length)? = parameter.value(DWArgumentAttribute.location),
                  let location = LocationLists.slice(sections.info, offset, length),
                  Self.bareRegister(location) == register else { continue }
            let value = parameter.value(DWArgumentAttribute.callValue) ?? parameter.value(DWArgumentAttribute.gnuCallSiteValue)
            guard case .block(let valueOffset, let valueLength)? = value,
                  let bytes = LocationLists.slice(sections.info, valueOffset, valueLength),
                  let pieces = try? LocationExpression.evaluate(bytes, context), pieces.count == 1 else { return nil }
            return Self.plainValue(pieces[0].location, context.frame)
        }
        return nil
    }

    /// A tail-call site (DW_AT_call_tail_call) in the subprogram at
    /// `function` that calls the subprogram at `callee` (or, through a
    /// declaration in another unit, a function of one of `names`).
    func tailCallSite(in function: Int, to callee: Int, named names: Set<String>) -> (FullDIE, CompilationUnit)? {
        guard let unit = unit(containing: function), let die = FullDIE.read(at: function, in: unit, sections),
              let calleeUnit = self.unit(containing: callee) else { return nil }
        let calleeOrigin = FullDIE.read(at: callee, in: calleeUnit, sections)?.reference(DWAttribute.abstractOrigin)
        return tailSite(in: die, to: [callee, calleeOrigin].compactMap { $0 }, names: names, unit: unit, depth: 0).map { ($0, unit) }
    }

    private func tailSite(in die: FullDIE, to targets: [Int], names calleeNames: Set<String>, unit: CompilationUnit,
                          depth: Int) -> FullDIE? {
        guard depth < Self.maxCallSiteDepth, let children = die.children(in: unit, sections, limit: 1 << 14, firstOnly: true) else { return nil }
        for child in children {
            switch child.tag {
            case DWArgumentTag.callSite, DWArgumentTag.gnuCallSite:
                let isTail = child.flag(DWArgumentAttribute.callTailCall) || child.flag(DWArgumentAttribute.gnuTailCall)
                let origin = child.reference(DWArgumentAttribute.callOrigin) ?? child.reference(DWAttribute.abstractOrigin)
                if isTail, let origin, targets.contains(origin) || names(of: origin).contains(where: calleeNames.contains) {
                    return child
                }
            case DWTag.lexicalBlock, DWTag.inlinedSubroutine:
                if let found = tailSite(in: child, to: targets, names: calleeNames, unit: unit, depth: depth + 1) { return found }
            default: continue
            }
        }
        return nil
    }

    /// A DW_AT_call_value's result: the value itself, not a place.
    static func plainValue(_ location: ValueLocation, _ frame: ArgumentFrame) -> UInt64? {
        switch location {
        case .memory(let v), .value(let v): return v
        case .register(let n): return frame.registers[n]
        default: return nil
        }
    }

    private func callSite(in die: FullDIE, returning pc: UInt64, unit: CompilationUnit, depth: Int) -> FullDIE? {
        guard depth < Self.maxCallSiteDepth, let children = die.children(in: unit, sections, limit: 1 << 14, firstOnly: true) else { return nil }
        for child in children {
            switch child.tag {
            case DWArgumentTag.callSite, DWArgumentTag.gnuCallSite:
                let at = child.value(DWArgumentAttribute.callReturnPC) ?? child.value(DWAttribute.lowPC)
                if let at, unit.address(at, sections) == pc { return child }
            case DWTag.lexicalBlock:
                if let found = callSite(in: child, returning: pc, unit: unit, depth: depth + 1) { return found }
            default: continue
            }
        }
        return nil
    }

    /// Whether the call site calls `callee`: by its origin's name, or by a
    /// computed target address.
    private func calls(_ site: FullDIE, _ callee: CalleeIdentity, unit: CompilationUnit,
                       _ context: LocationExpression.Context) -> Bool {
        if let origin = site.reference(DWArgumentAttribute.callOrigin) ?? site.reference(DWAttribute.abstractOrigin) {
            return names(of: origin).contains { callee.names.contains($0) }
        }
        let target = site.value(DWArgumentAttribute.callTarget) ?? site.value(DWArgumentAttribute.gnuCallSiteTarget)
        guard case .block(let offset, let length)? = target, let start = callee.start,
              let bytes = LocationLists.slice(sections.info, offset, length),
              let pieces = try? LocationExpression.evaluate(bytes, context), pieces.count == 1,
              let address = Self.plainValue(pieces[0].location, context.frame) else { return false }
        return address == start
    }

    /// DW_AT_name and DW_AT_linkage_name of a function DIE and the DIEs it refers to.
    private func names(of offset: Int) -> [String] {
        var result: [String] = []
        var next: Int? = offset
        for _ in 0 ..< 4 {
            guard let at = next, let unit = unit(containing: at), let die = FullDIE.read(at: at, in: unit, sections) else { break }
            for attribute in [DWAttribute.name, DWAttribute.linkageName, DWAttribute.mipsLinkageName] {
                if let name = die.value(attribute).flatMap({ unit.string($0, sections) }) { result.append(name) }
            }
            next = die.reference(DWAttribute.abstractOrigin) ?? die.reference(DWAttribute.specification)
        }
        return result
    }

}
