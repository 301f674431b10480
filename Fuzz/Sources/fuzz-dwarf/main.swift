// Fuzzes the DWARF reader on whole ELF files: unit headers, abbreviations,
// DIEs and their forms, string/address/range tables, .debug_aranges, line
// programs (v2-5) and inline scopes, through DebugInfo's two lookups.
// Addresses come from the file itself (symbols, executable sections) and from
// the input bytes, so mutations that move code still hit the tables.
// Any input must end in a value (possibly empty), never a trap or a hang.
import DWARF
import Dispatch
import ELF
import FuzzSupport

/// Lookups per input: each may parse a unit, so this bounds the time per run.
let maxLookups = 256

func lookUp(_ info: DebugInfo, _ address: FileAddress) -> Int {
    var answers = 0
    for frame in info.frames(at: address) {
        answers &+= (frame.function?.utf8.count ?? 0) &+ (frame.location?.line ?? 0)
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
