// Fuzzes the DWARF reader on whole ELF files: unit headers, abbreviations,
// DIEs and their forms, string/address/range tables, .debug_aranges, line
// programs (v2-5) and inline scopes, through DebugInfo's two lookups; and
// frame arguments: parameter DIEs, types, location expressions and lists
// (.debug_loc, .debug_loclists), call sites and entry values, evaluated
// against registers and a stack made from the input's own bytes.
// Addresses come from the file itself (symbols, executable sections) and from
// the input bytes, so mutations that move code still hit the tables.
// Any input must end in a value (possibly empty), never a trap or a hang.
import DWARF
import Dispatch
import ELF
import FuzzSupport
import Unwind

/// Lookups per input: each may parse a unit, so this bounds the time per run.
let maxLookups = 256

/// A frame whose every register and stack word comes from the input: the
/// expressions then read real-looking, attacker-chosen values.
nonisolated(unsafe) var argumentFrame = ArgumentFrame(registers: UnwindRegisters(), cfa: nil,
                                                      memory: SnapshotMemory(base: 0, bytes: []))

func lookUp(_ info: DebugInfo, _ address: FileAddress) -> Int {
    var answers = 0
    for frame in info.frames(at: address) {
        answers &+= (frame.function?.utf8.count ?? 0) &+ (frame.location?.line ?? 0)
        guard let scope = frame.scope else { continue }
        for argument in info.arguments(of: scope, pc: address, bias: 0x1000, frame: argumentFrame,
                                       withEntryValues: !frame.isInline) ?? [] {
            answers &+= argument.value.utf8.count &+ argument.type.utf8.count
        }
        for local in info.locals(of: scope, pc: address, bias: 0x1000, frame: argumentFrame) ?? [] {
            answers &+= local.value.utf8.count &+ local.name.utf8.count
        }
        let callee = CalleeIdentity(names: [frame.function ?? ""], start: nil, scope: scope, debugInfo: info)
        answers &+= Int(truncatingIfNeeded: info.entryValue(register: 5, returnAddress: address, bias: 0,
                                                             caller: argumentFrame, callee: callee) ?? 0)
    }
    if let location = info.location(at: address) { answers &+= location.line &+ location.file.utf8.count }
    return answers
}

runFuzzer { data, size in
    guard let data else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let file = try? ELFFile(bytes: bytes), let info = DebugInfo(elf: file) else { return 0 }

    var addresses: [FileAddress] = [0, file.entry, FileAddress(.max)]
    if let symbols = try? file.symbols {
        for symbol in symbols.prefix(64) {
            addresses += [symbol.value, symbol.value + symbol.size / 2]
        }
    }
    for section in file.sections.prefix(64) where section.flags.contains(.execInstr) {
        addresses += [section.addr, section.addr + section.size / 2, section.addr + section.size - 1]
    }
    // A few words of the input: after a mutation, an address in a table may be one.
    var input = InputCursor(UnsafeRawBufferPointer(start: data, count: size))
    _ = input.take(0x18)  // e_entry is already in
    for _ in 0..<4 where input.remaining >= 8 { addresses.append(FileAddress(input.u64())) }
    // Registers and a stack at 0x7000 from the input's last bytes; entry
    // values answered from them too, so call values chain.
    let tail = Array(bytes.suffix(256))
    var registers = UnwindRegisters()
    for n in 0 ..< registers.count where n * 8 + 8 <= tail.count {
        if tail[n * 8] & 1 == 0 { registers[n] = tail[(n * 8)..<(n * 8 + 8)].reduce(0) { $0 << 8 | UInt64($1) } }
    }
    argumentFrame = ArgumentFrame(registers: registers, cfa: tail.count > 3 && tail[3] & 1 == 0 ? 0x7010 : nil,
                                  memory: SnapshotMemory(base: 0x7000, bytes: tail)) { register in
        register < tail.count ? UInt64(tail[register]) : nil
    }

    var answers = 0
    for address in addresses.prefix(maxLookups) {
        answers &+= lookUp(info, address)
    }

    // The backtracer looks up from many threads at once; the caches must
    // survive racing builds of the same unit. A fresh DebugInfo, so the
    // threads race on empty caches.
    if let fresh = DebugInfo(elf: file) {
        let shared = Array(addresses.prefix(8))
        DispatchQueue.concurrentPerform(iterations: 2) { i in
            for address in i == 0 ? shared : shared.reversed() { _ = lookUp(fresh, address) }
        }
    }
    _ = answers
    return 0
}
