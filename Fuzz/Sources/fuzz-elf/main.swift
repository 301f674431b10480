// Fuzzes the ELF reader on whole files: headers, program and section headers,
// section data (compressed sections included), symbols, notes, build-id,
// .gnu_debuglink, load-segment arithmetic, and the unwind table built from the
// file's CFI sections the way the backtracer builds it.
// Any input must end in a value or a thrown ELFError, never a trap or a hang.
import ELF
import FuzzSupport
import Unwind

func cfiSection(_ file: ELFFile, _ name: String, _ kind: CFISectionKind) -> CFISection? {
    guard let header = file.section(named: name), let bytes = try? file.data(of: header), bytes.count > 0 else {
        return nil
    }
    return CFISection(bytes: bytes, address: header.addr, kind: kind)
}

runFuzzer { data, size in
    guard let data else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let file = try? ELFFile(bytes: bytes) else { return 0 }

    _ = file.type
    _ = file.entry
    _ = file.machine
    for section in file.sections.prefix(256) {
        if let d = try? file.data(of: section), d.count > 0 {
            _ = d[0] &+ d[d.count - 1]
        }
    }
    _ = file.section(named: ".text")
    _ = file.notes.count
    _ = file.buildIDHex
    _ = file.debugLink
    let locator = DebugFileLocator(debugRoot: "/nonexistent-debug-root")
    if let id = file.buildID { _ = locator.buildIDPath(for: id) }
    if let link = file.debugLink { _ = locator.debugLinkCandidates(name: link.name, objectPath: "/x/y") }

    let segments = file.loadSegments
    _ = file.isPositionIndependentExecutable
    for segment in segments.prefix(16) {
        for offset in [segment.offset, segment.offset &+ segment.filesz / 2, segment.offset &+ segment.filesz] {
            _ = file.loadSegment(forFileOffset: offset)
            _ = file.linkAddress(forFileOffset: offset, executable: true)
            _ = file.loadBias(mappingStart: RuntimeAddress(0x5555_5555_4000), fileOffset: offset)
        }
    }

    if let symbols = try? file.symbols {
        var checksum: UInt64 = 0
        for symbol in symbols.prefix(512) {
            checksum &+= symbol.value.rawValue &+ UInt64(symbol.name.utf8.count)
            _ = symbols.symbol(containing: symbol.value + symbol.size / 2)
        }
        _ = symbols.symbol(containing: file.entry)
        _ = symbols.symbol(containing: FileAddress(.max))
        _ = symbols.symbols(named: "main")
        _ = checksum
    }

    let ehFrame = cfiSection(file, ".eh_frame", .ehFrame)
    let debugFrame = cfiSection(file, ".debug_frame", .debugFrame)
    if ehFrame != nil || debugFrame != nil {
        let table = UnwindTable(ehFrameHeader: cfiSection(file, ".eh_frame_hdr", .ehFrameHeader),
                                ehFrame: ehFrame, debugFrame: debugFrame, owner: file)
        var pcs: [FileAddress] = [file.entry]
        if let ehFrame {
            _ = table.forEachFDE(in: ehFrame) { e in
                if pcs.count < 32 { pcs.append(e.fde.pcBegin) }
            }
        }
        for pc in pcs { _ = try? table.row(for: pc) }
    }
    return 0
}
