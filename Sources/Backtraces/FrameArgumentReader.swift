import DWARF
import Demangle
import ELF
import Unwind

/// Fills in each frame's arguments from DWARF, after the unwind: every
/// physical frame's recovered registers and CFA, the stack copy (live reads
/// beyond it), and for entry values the caller's frame, one further up.
struct FrameArgumentReader {
    /// Entry values through callers whose own call values are entry values:
    /// a bound, as gdb's recursion check is.
    static let maxEntryDepth = 8

    let space: AddressSpace
    let memory: TargetMemory
    let unwound: [UnwindFrame]
    let readsLocals: Bool
    /// Every thread's answers that depend on an address alone.
    let facts: ArgumentFacts
    /// One thread's answers, asked again for each parameter and each frame below.
    private let memo = Memo()

    private final class Memo {
        var identities: [Int: CalleeIdentity?] = [:]
        var entryValues: [EntryKey: UInt64?] = [:]
    }

    private struct EntryKey: Hashable {
        var callee: Int
        var register: Int
    }

    init(space: AddressSpace, memory: TargetMemory, unwound: [UnwindFrame], readsLocals: Bool = false,
         facts: ArgumentFacts = ArgumentFacts()) {
        self.facts = facts
        self.space = space
        self.memory = memory
        self.unwound = unwound
        self.readsLocals = readsLocals
    }

    /// Sets `arguments` on the frames of physical frame `index` (its inline
    /// frames and itself), which `named` holds in gdb's order.
    func fill(_ named: inout [SymbolizedFrame], physical index: Int) {
        guard let frame = argumentFrame(index, depth: 0) else { return }
        let unwoundFrame = unwound[index]
        let exact = unwoundFrame.pcIsExact || unwoundFrame.isSignalFrame
        let lookup = exact ? unwoundFrame.pc : unwoundFrame.pc - 1
        guard let region = space.region(containing: lookup), let debugInfo = region.module?.debugInfo else { return }
        let filePC = region.loadBias.fileAddress(of: lookup)
        for position in named.indices {
            guard let scope = named[position].scope else { continue }
            named[position].arguments = debugInfo.arguments(
                of: scope, pc: filePC, bias: region.loadBias.displacement, frame: frame,
                withEntryValues: !named[position].isInline, symbolize: symbolName)
            if readsLocals {
                named[position].locals = debugInfo.locals(
                    of: scope, pc: filePC, bias: region.loadBias.displacement, frame: frame, symbolize: symbolName)
            }
        }
    }

    /// The frame's registers, CFA and memory; nil when the unwinder kept no registers.
    private func argumentFrame(_ index: Int, depth: Int) -> ArgumentFrame? {
        guard index < unwound.count, let registers = unwound[index].registers else { return nil }
        return ArgumentFrame(registers: registers, cfa: unwound[index].cfa?.rawValue, memory: memory) { register in
            self.entryValue(of: register, calleeIndex: index, depth: depth)
        }
    }

    /// What `register` held when physical frame `calleeIndex`'s function was
    /// entered, from its caller's call site.
    private func entryValue(of register: Int, calleeIndex: Int, depth: Int) -> UInt64? {
        let key = EntryKey(callee: calleeIndex, register: register)
        if let known = memo.entryValues[key] { return known }
        let value = computeEntryValue(of: register, calleeIndex: calleeIndex, depth: depth)
        // A bound hit deep in a chain is not the answer from nearer: keep only full answers.
        if value != nil || depth == 0 { memo.entryValues[key] = .some(value) }
        return value
    }

    private func computeEntryValue(of register: Int, calleeIndex: Int, depth: Int) -> UInt64? {
        let callerIndex = calleeIndex + 1
        guard depth < Self.maxEntryDepth, callerIndex < unwound.count, !unwound[callerIndex].pcIsExact,
              !unwound[calleeIndex].isSignalFrame,
              let caller = argumentFrame(callerIndex, depth: depth + 1),
              let callee = identity(of: calleeIndex) else { return nil }
        let returnAddress = unwound[callerIndex].pc
        guard let region = space.region(containing: returnAddress - 1), let debugInfo = region.module?.debugInfo else { return nil }
        return debugInfo.entryValue(register: register, returnAddress: region.loadBias.fileAddress(of: returnAddress),
                                    bias: region.loadBias.displacement, caller: caller, callee: callee)
    }

    /// The callee's names (its symbol's aliases too: a call to `read`
    /// enters `__libc_read`) and first address.
    private func identity(of index: Int) -> CalleeIdentity? {
        if let known = memo.identities[index] { return known }
        let frame = unwound[index]
        let lookup = frame.pcIsExact || frame.isSignalFrame ? frame.pc : frame.pc - 1
        let found = facts.identity(at: lookup.rawValue) { computeIdentity(at: lookup) }
        memo.identities[index] = .some(found)
        return found
    }

    private func computeIdentity(at lookup: RuntimeAddress) -> CalleeIdentity? {
        guard let region = space.region(containing: lookup), let module = region.module else { return nil }
        let filePC = region.loadBias.fileAddress(of: lookup)
        var names = Set<String>()
        var start: UInt64? = nil
        if let symbol = module.symbol(containing: filePC) {
            names.formUnion(module.aliases(of: symbol))
            start = region.loadBias.runtimeAddress(of: symbol.value).rawValue
        }
        let debugInfo = module.debugInfo
        let outer = debugInfo?.frames(at: filePC).last
        if let function = outer?.function { names.insert(function) }
        guard !names.isEmpty else { return nil }
        return CalleeIdentity(names: names, start: start, scope: outer?.scope, debugInfo: debugInfo,
                              bias: region.loadBias.displacement) { name in
            guard let symbol = module.function(named: name) else { return nil }
            return debugInfo?.frames(at: symbol.value).last?.scope
        }
    }

    /// `name` or `name+off` for an address inside a module's symbol, code or
    /// data, as gdb's `print symbol` adds after a pointer.
    func symbolName(_ address: UInt64) -> String? {
        facts.symbolName(at: address) { computeSymbolName(address) }
    }

    private func computeSymbolName(_ address: UInt64) -> String? {
        var seen = Set<ObjectIdentifier>()
        for region in space.regions {
            guard let module = region.module, seen.insert(ObjectIdentifier(module)).inserted else { continue }
            guard address >= region.loadBias.displacement else { continue }
            let file = region.loadBias.fileAddress(of: RuntimeAddress(address))
            guard let symbol = module.symbol(containing: file), symbol.size > 0 else { continue }
            let offset = file.offset(from: symbol.value)
            // Most pointees are C data: the demangler's shared cache (a lock) only for mangled names.
            let raw = LinkerDecoration.strippingVersion(symbol.name)
            let name = raw.hasPrefix("_Z") || raw.hasPrefix("_R") || raw.hasPrefix("$s") || raw.hasPrefix("_$s")
                ? displayName(symbol.name) : raw
            return offset == 0 ? name : name + "+" + String(offset)
        }
        return nil
    }
}
