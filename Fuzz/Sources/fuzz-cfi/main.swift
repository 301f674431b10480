// Fuzzes the DWARF CFI reader: .eh_frame_hdr search, CIE/FDE parsing, the CFA
// program interpreter, DWARF expressions and the unwinder driven by the rows.
//
// Input layout (little-endian), so seeds can carry real section addresses:
//   u64 .eh_frame_hdr address, u64 .eh_frame address, u32 header length,
//   header bytes, then the .eh_frame bytes (the rest).
// The .eh_frame bytes are also parsed as .debug_frame by a second table.
// Any input must end in a value or a thrown CFIError, never a trap or a hang.
import ELF
import FuzzSupport
import Unwind

/// Stack memory for the unwinder: a slice of the input at a fixed address.
struct FuzzStack: MemoryReader {
    let base: UInt64
    let bytes: UnsafeRawBufferPointer
    func read(_ runtimeAddress: RuntimeAddress, into buffer: UnsafeMutableRawBufferPointer) -> Bool {
        let address = runtimeAddress.rawValue
        guard address >= base else { return false }
        let start = address - base
        guard start <= UInt64(bytes.count), UInt64(bytes.count) - start >= UInt64(buffer.count) else { return false }
        buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[Int(start)..<(Int(start) + buffer.count)]))
        return true
    }
}

let stackBase: UInt64 = 0x7ffd_0000_0000

func exercise(_ table: UnwindTable, section: CFISection, stack: UnsafeRawBufferPointer, expression: UnsafeRawBufferPointer) {
    var entries: [UnwindTable.Entry] = []
    _ = table.forEachFDE(in: section) { e in
        if entries.count < 64 { entries.append(e) }
    }
    var low = UInt64.max, high: UInt64 = 0
    for e in entries {
        let range = e.fde.pcRange
        for pc in [e.fde.pcBegin, e.fde.pcBegin + range / 2, e.fde.pcEnd - 1] {
            _ = try? table.row(for: pc, in: e)
            _ = try? table.row(for: pc)
        }
        low = min(low, e.fde.pcBegin.rawValue)
        high = max(high, (e.fde.pcEnd - 1).rawValue)
    }
    _ = try? table.row(for: 0)
    _ = try? table.row(for: section.address)

    // Unwind from the first FDE's start over a stack made of input bytes
    // (bias zero: the file addresses are where the code runs).
    guard let first = entries.first, low <= high else { return }
    let upper = high == .max ? high : high + 1
    let modules = StaticModuleLookup([
        .init(range: RuntimeAddress(low) ..< RuntimeAddress(upper), unwindInfo: ModuleUnwindInfo(table: table, loadBias: .zero)),
    ])
    let registers = UnwindRegisters.x86_64(rip: first.fde.pcBegin.rawValue, rsp: stackBase + 8, rbp: stackBase + 16,
                                           rbx: 1, r12: 2, r13: 3, r14: 4, r15: 5)
    let memory = FuzzStack(base: stackBase, bytes: stack)
    _ = Unwinder(options: .init(maxDepth: 32)).unwind(registers: registers, memory: memory, modules: modules)
    _ = try? DwarfExpression.evaluate(expression, registers: registers, memory: memory, initial: stackBase,
                                      maxSteps: 2_000)
    _ = try? DwarfExpression.evaluate(expression, registers: registers, memory: memory, initial: nil,
                                      maxSteps: 2_000, allowRegisterLocations: true)
}

runFuzzer { data, size in
    guard let data, size >= 20 else { return 0 }
    var input = InputCursor(UnsafeRawBufferPointer(start: data, count: size))
    let hdrAddress = input.u64()
    let ehAddress = input.u64()
    let hdrLength = Int(input.u32() % 65_536)
    let hdr = input.take(hdrLength)
    let eh = input.rest()

    let ehSection = CFISection(bytes: eh, address: FileAddress(ehAddress), kind: .ehFrame)
    let table = UnwindTable(
        ehFrameHeader: hdr.isEmpty ? nil : CFISection(bytes: hdr, address: FileAddress(hdrAddress), kind: .ehFrameHeader),
        ehFrame: ehSection,
        textBase: FileAddress(ehAddress), dataBase: FileAddress(hdrAddress),
        indirectPointerReader: { $0.rawValue & 0xffff })
    if let header = table.header, let hs = table.ehFrameHeader {
        for i in 0..<min(header.fdeCount, 16) { _ = try? header.entry(i, in: hs) }
        _ = try? header.search(FileAddress(ehAddress), in: hs)
        _ = try? header.search(FileAddress(.max), in: hs)
    }
    exercise(table, section: ehSection, stack: eh, expression: hdr)

    let debugSection = CFISection(bytes: eh, address: FileAddress(ehAddress), kind: .debugFrame)
    let debugTable = UnwindTable(debugFrame: debugSection)
    exercise(debugTable, section: debugSection, stack: hdr, expression: eh.count > 256 ? UnsafeRawBufferPointer(rebasing: eh[0..<256]) : eh)
    return 0
}
