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
    /// - callee: the function called; a call site that calls another is no
    ///   answer, unless that one jumped on to the callee (a tail call).
    public func entryValue(register: Int, returnAddress: FileAddress, bias: UInt64, caller: ArgumentFrame,
                           callee: CalleeIdentity) -> UInt64? {
        guard let site = cached(callSiteCache, returnAddress.rawValue, build: { callSitePlan(returning: returnAddress.rawValue) })
        else { return nil }
        var context = locationContext(frame: caller, unitOffset: site.unitOffset, addressSize: site.addressSize, bias: bias)
        context.frameBase = site.frameBase.flatMap { Self.value(of: $0, context) }
        if calls(site, callee, context) { return site.values[register].flatMap { Self.value(of: $0, context) } }
        // A call to a function that jumped on to the callee (gdb's tail-call
        // frames): that function's tail-call site passes the values on, its
        // own entry values being this call site's.
        guard let calleeScope = callee.scope, let calleeInfo = callee.debugInfo else { return nil }
        // Kept here, by this call site; the plan's unit is the callee module's.
        let key = TailCallKey(returnAddress: returnAddress.rawValue, callee: calleeScope.subprogram, calleeStart: callee.start)
        let found = cached(tailCallCache, key) {
            for name in Set(site.originNames) {
                guard let jumping = callee.functionNamed(name),
                      let tail = calleeInfo.tailCallPlan(in: jumping.subprogram, to: calleeScope.subprogram, named: callee.names)
                else { continue }
                return tail
            }
            return nil
        }
        guard let tail = found else { return nil }
        var jumper = caller
        jumper.cfa = nil
        jumper.entryValue = { register in site.values[register].flatMap { Self.value(of: $0, context) } }
        let tailContext = calleeInfo.locationContext(frame: jumper, unitOffset: tail.unitOffset, addressSize: tail.addressSize,
                                                     bias: callee.bias)
        return tail.values[register].flatMap { Self.value(of: $0, tailContext) }
    }

    /// A DW_AT_call_value's result: the value itself, not a place.
    static func plainValue(_ location: ValueLocation, _ frame: ArgumentFrame) -> UInt64? {
        switch location {
        case .memory(let v), .value(let v): return v
        case .register(let n): return frame.registers[n]
        default: return nil
        }
    }

    /// The call site returning to `returnAddress`, in the innermost scope
    /// holding the call and outward.
    private func callSitePlan(returning returnAddress: UInt64) -> CallSitePlan? {
        let callPC = returnAddress &- 1
        let scopes = frames(at: FileAddress(callPC)).compactMap(\.scope)
        guard let subprogram = scopes.last?.subprogram, let unit = unit(containing: subprogram) else { return nil }
        for scope in scopes {
            guard let die = FullDIE.read(at: scope.die, in: unit, sections),
                  let site = findSite(in: die, unit: unit, depth: 0, where: { site in
                      let at = site.value(DWArgumentAttribute.callReturnPC) ?? site.value(DWAttribute.lowPC)
                      return at.flatMap { unit.address($0, self.sections) } == returnAddress
                  }) else { continue }
            return plan(of: site, unit: unit, subprogram: subprogram,
                        frameBase: frameBaseExpression(of: subprogram, pc: callPC))
        }
        return nil
    }

    /// A tail-call site (DW_AT_call_tail_call) in the subprogram at
    /// `function` that calls the subprogram at `callee` (or, through a
    /// declaration in another unit, a function of one of `names`).
    func tailCallPlan(in function: Int, to callee: Int, named names: Set<String>) -> CallSitePlan? {
        guard let unit = unit(containing: function), let die = FullDIE.read(at: function, in: unit, sections),
              let calleeUnit = self.unit(containing: callee) else { return nil }
        let targets = [callee, FullDIE.read(at: callee, in: calleeUnit, sections)?.reference(DWAttribute.abstractOrigin)].compactMap { $0 }
        let site = findSite(in: die, unit: unit, depth: 0) { site in
            guard site.flag(DWArgumentAttribute.callTailCall) || site.flag(DWArgumentAttribute.gnuTailCall),
                  let origin = site.reference(DWArgumentAttribute.callOrigin) ?? site.reference(DWAttribute.abstractOrigin)
            else { return false }
            return targets.contains(origin) || self.names(of: origin).contains(where: names.contains)
        }
        return site.flatMap { plan(of: $0, unit: unit, subprogram: function, frameBase: nil) }
    }

    private func plan(of site: FullDIE, unit: CompilationUnit, subprogram: Int, frameBase: [UInt8]?) -> CallSitePlan? {
        var values: [Int: [UInt8]] = [:]
        for parameter in site.children(in: unit, sections, limit: 64, firstOnly: true) ?? []
        where parameter.tag == DWArgumentTag.callSiteParameter || parameter.tag == DWArgumentTag.gnuCallSiteParameter {
            guard let location = block(parameter.value(DWArgumentAttribute.location)),
                  let register = location.withUnsafeBytes({ Self.bareRegister($0) }),
                  let value = block(parameter.value(DWArgumentAttribute.callValue) ?? parameter.value(DWArgumentAttribute.gnuCallSiteValue))
            else { continue }
            values[register] = value
        }
        let origin = site.reference(DWArgumentAttribute.callOrigin) ?? site.reference(DWAttribute.abstractOrigin)
        return CallSitePlan(unitOffset: unit.header.offset, addressSize: Int(unit.header.addressSize), subprogram: subprogram, frameBase: frameBase, values: values,
                            originNames: origin.map(names(of:)) ?? [],
                            target: block(site.value(DWArgumentAttribute.callTarget) ?? site.value(DWArgumentAttribute.gnuCallSiteTarget)))
    }

    private func block(_ value: AttributeValue?) -> [UInt8]? {
        guard case .block(let offset, let length)? = value, let bytes = LocationLists.slice(sections.info, offset, length) else { return nil }
        return Array(bytes)
    }

    /// Whether the call site calls `callee`: by its origin's name, or by a
    /// computed target address.
    private func calls(_ site: CallSitePlan, _ callee: CalleeIdentity, _ context: LocationExpression.Context) -> Bool {
        if !site.originNames.isEmpty { return site.originNames.contains { callee.names.contains($0) } }
        guard let target = site.target, let start = callee.start else { return false }
        return Self.value(of: target, context) == start
    }

    /// The first call site under `die` (through lexical blocks and inlined
    /// calls) that `matches`.
    private func findSite(in die: FullDIE, unit: CompilationUnit, depth: Int, where matches: (FullDIE) -> Bool) -> FullDIE? {
        guard depth < Self.maxCallSiteDepth, let children = die.children(in: unit, sections, limit: 1 << 14, firstOnly: true) else { return nil }
        for child in children {
            switch child.tag {
            case DWArgumentTag.callSite, DWArgumentTag.gnuCallSite:
                if matches(child) { return child }
            case DWTag.lexicalBlock, DWTag.inlinedSubroutine:
                if let found = findSite(in: child, unit: unit, depth: depth + 1, where: matches) { return found }
            default: continue
            }
        }
        return nil
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
