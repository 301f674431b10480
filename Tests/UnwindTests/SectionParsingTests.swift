import ELF
import Testing
@testable import Unwind

@Suite struct PointerEncodingTests {
    func decode(_ bytes: [UInt8], _ enc: UInt8, at offset: Int = 0, section: UInt64 = 0x1000,
                context adjust: (inout PointerContext) -> Void = { _ in }) throws(CFIError) -> (UInt64, Int) {
        var ctx = PointerContext(sectionAddress: section)
        adjust(&ctx)
        let owner = ByteOwner(bytes)
        return try withExtendedLifetime(owner) { () throws(CFIError) -> (UInt64, Int) in
            var c = CFICursor(owner.raw, section: .ehFrame, offset: offset)
            let v = try c.pointer(PointerEncoding(enc), ctx)
            return (v, c.offset)
        }
    }

    @Test func formats() throws {
        #expect(try decode([1, 2, 3, 4, 5, 6, 7, 8], 0x00) == (0x0807_0605_0403_0201, 8))
        #expect(try decode(Bytes.uleb(300), 0x01) == (300, 2))
        #expect(try decode([0xfe, 0xff], 0x02) == (0xfffe, 2))
        #expect(try decode([0xfe, 0xff, 0xff, 0xff], 0x03) == (0xffff_fffe, 4))
        #expect(try decode([0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], 0x04) == (UInt64.max - 1, 8))
        #expect(try decode(Bytes.sleb(-300), 0x09) == (UInt64(bitPattern: -300), 2))
        #expect(try decode([0xfe, 0xff], 0x0a) == (UInt64(bitPattern: -2), 2))
        #expect(try decode([0xfe, 0xff, 0xff, 0xff], 0x0b) == (UInt64(bitPattern: -2), 4))
        #expect(try decode([0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], 0x0c) == (UInt64(bitPattern: -2), 8))
    }

    @Test func applications() throws {
        // pcrel: relative to the address of the value itself (section + 4).
        #expect(try decode([0, 0, 0, 0, 0xf0, 0xff, 0xff, 0xff], 0x1b, at: 4).0 == 0x1004 - 16)
        #expect(try decode([0x10, 0, 0, 0], 0x3b) { $0.dataBase = 0x5000 }.0 == 0x5010)
        #expect(try decode([0x10, 0, 0, 0], 0x23) { $0.textBase = 0x7000 }.0 == 0x7010)
        #expect(try decode([0x10, 0, 0, 0], 0x43) { $0.functionBase = 0x9000 }.0 == 0x9010)
        #expect(throws: CFIError.self) { try decode([0x10, 0, 0, 0], 0x3b) }  // no data base
        #expect(throws: CFIError.self) { try decode([0x10, 0, 0, 0], 0x23) }
        #expect(throws: CFIError.self) { try decode([0x10, 0, 0, 0], 0x43) }
        #expect(throws: CFIError.self) { try decode([0x10, 0, 0, 0], 0x63) }  // unknown application
        #expect(throws: CFIError.self) { try decode([0x10, 0, 0, 0], 0x05) }  // unknown format
        #expect(throws: CFIError.self) { try decode([0x10, 0, 0, 0], 0xff) }  // omit
    }

    @Test func alignedSkipsToAddressSize() throws {
        // Section at 0x1000, value at offset 1 → aligned to offset 8.
        let bytes: [UInt8] = [0, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 1, 0, 0, 0, 0, 0, 0, 0]
        #expect(try decode(bytes, 0x50, at: 1) == (1, 16))
    }

    @Test func indirect() throws {
        #expect(throws: CFIError.self) { try decode([0x10, 0, 0, 0], 0x83) }
        let v = try decode([0x10, 0, 0, 0], 0x83) { $0.readIndirect = { $0 == 0x10 ? 0xabcd : nil } }
        #expect(v.0 == 0xabcd)
        #expect(throws: CFIError.self) { try decode([0x20, 0, 0, 0], 0x83) { $0.readIndirect = { _ in nil } } }
    }

    @Test func fdeWithEachEncoding() throws {
        // pc_begin 0x4000, range 0x40 in each format; the table must find it.
        let cases: [(UInt8, [UInt8], [UInt8])] = [
            (0x00, le(0x4000, 8), le(0x40, 8)),
            (0x01, Bytes.uleb(0x4000), Bytes.uleb(0x40)),
            (0x02, le(0x4000, 2), le(0x40, 2)),
            (0x03, le(0x4000, 4), le(0x40, 4)),
            (0x04, le(0x4000, 8), le(0x40, 8)),
            (0x09, Bytes.sleb(0x4000), Bytes.sleb(0x40)),
            (0x0a, le(0x4000, 2), le(0x40, 2)),
            (0x0b, le(0x4000, 4), le(0x40, 4)),
            (0x0c, le(0x4000, 8), le(0x40, 8)),
        ]
        for (enc, begin, range) in cases {
            var b = CFIBuilder()
            var o = CFIBuilder.CIEOptions()
            o.fdeEncoding = enc
            let c = b.cie(o)
            b.fde(cie: c, pcBeginBytes: begin, pcRangeBytes: range, instructions: CFA.defCFAOffset(24))
            b.terminate()
            let t = makeTable(ehFrame: b.bytes)
            do {
                let e = try #require(try t.entry(for: 0x4010), "encoding \(enc)")
                #expect(e.fde.pcBegin == 0x4000 && e.fde.pcRange == 0x40, "encoding \(enc)")
                #expect(try t.row(for: 0x403f)?.cfa == .registerOffset(register: 7, offset: 24))
                #expect(try t.row(for: 0x4040) == nil)
            }
        }
    }

    @Test func indirectFDEPointerThroughTheTable() throws {
        // pc_begin is udata8|indirect: the value is the address of a slot holding the pc.
        var b = CFIBuilder()
        var o = CFIBuilder.CIEOptions()
        o.fdeEncoding = 0x84
        let c = b.cie(o)
        let f = b.fde(cie: c, pcBeginBytes: le(0x9000, 8), pcRangeBytes: le(0x40, 8), instructions: CFA.defCFAOffset(24))
        b.terminate()
        let owner = ByteOwner(b.bytes)
        let section = CFISection(bytes: owner.raw, address: 0x2000, kind: .ehFrame)
        let t = UnwindTable(ehFrame: section, indirectPointerReader: { $0 == 0x9000 ? 0x7000 : nil }, owner: owner)
        let e = try t.entry(at: f, in: t.ehFrame!)
        #expect(e.fde.pcBegin == 0x7000)
        #expect(try t.row(for: 0x7010)?.cfa == .registerOffset(register: 7, offset: 24))
        let without = UnwindTable(ehFrame: section, owner: owner)
        #expect { try without.entry(at: f, in: without.ehFrame!) } throws: {
            ($0 as? CFIError)?.kind == .indirectPointerUnavailable
        }
    }

    func le(_ v: UInt64, _ n: Int) -> [UInt8] { (0..<n).map { UInt8(truncatingIfNeeded: v >> (8 * UInt64($0))) } }
}

@Suite struct EntryParsingTests {
    @Test func augmentationsPLandLSDA() throws {
        var b = CFIBuilder()
        var o = CFIBuilder.CIEOptions()
        o.augmentation = "zPLR"
        o.personality = (0x9b, [0x10, 0, 0, 0])  // indirect pcrel sdata4: kept unresolved
        o.lsdaEncoding = 0x1b
        let c = b.cie(o)
        var beginField = Bytes()
        let fieldAddress = b.address + UInt64(b.data.count + 8)
        beginField.i32(Int32(0x5000 - Int64(fieldAddress)))
        b.fde(cie: c, pcBeginBytes: beginField.b, pcRangeBytes: [0x20, 0, 0, 0],
              augmentation: [0x00, 0x01, 0x00, 0x00], instructions: CFA.defCFAOffset(16))
        b.terminate()
        let t = makeTable(ehFrame: b.bytes)
        do {
            let e = try #require(try t.entry(for: 0x5000))
            #expect(e.cie.augmentation == "zPLR")
            #expect(e.cie.fdeEncoding.rawValue == 0x1b)
            #expect(e.cie.lsdaEncoding.rawValue == 0x1b)
            #expect(e.cie.personality != nil)
            #expect(e.fde.lsda != nil)
            #expect(try t.row(for: 0x5000)?.cfa == .registerOffset(register: 7, offset: 16))
        }
    }

    @Test func personalityWithMissingBaseKeepsLaterLetters() throws {
        // "zPR" with a datarel personality (no data base given): R must still be read.
        var b = CFIBuilder()
        var o = CFIBuilder.CIEOptions()
        o.augmentation = "zPR"
        o.personality = (0x3b, [0x10, 0, 0, 0])
        let c = b.cie(o)
        b.fde(cie: c, pc: 0x5000, range: 0x20, instructions: CFA.defCFAOffset(16))
        b.terminate()
        let t = makeTable(ehFrame: b.bytes)
        let e = try #require(try t.entry(for: 0x5010))
        #expect(e.cie.personality == nil)
        #expect(e.cie.fdeEncoding.rawValue == 0x1b)
        #expect(e.fde.pcBegin == 0x5000)
    }

    @Test func cieVersions() throws {
        for version: UInt8 in [1, 3, 4] {
            var b = CFIBuilder()
            var o = CFIBuilder.CIEOptions()
            o.version = version
            o.returnRegister = 16
            let c = b.cie(o)
            b.fde(cie: c, pc: 0x1000, range: 0x10, instructions: [])
            b.terminate()
            let t = makeTable(ehFrame: b.bytes)
            do {
                let e = try #require(try t.entry(for: 0x1000))
                #expect(e.cie.version == version)
                #expect(e.cie.returnAddressRegister == 16)
                #expect(e.cie.addressSize == 8)
            }
        }
        var b = CFIBuilder()
        var o = CFIBuilder.CIEOptions()
        o.version = 2
        let c = b.cie(o)
        let f = b.fde(cie: c, pc: 0x1000, range: 0x10, instructions: [])
        let t = makeTable(ehFrame: b.bytes)
        // The scan skips the broken FDE; reading it directly names the problem.
        #expect(try t.entry(for: 0x1000) == nil)
        #expect { try t.entry(at: f, in: t.ehFrame!) } throws: { ($0 as? CFIError)?.kind == .unsupportedVersion(2) }
    }

    @Test func unknownAugmentationWithoutZ() throws {
        var b = CFIBuilder()
        var o = CFIBuilder.CIEOptions()
        o.augmentation = "xyz"
        let c = b.cie(o)
        let f = b.fde(cie: c, pcBeginBytes: [0, 0x10, 0, 0, 0, 0, 0, 0], pcRangeBytes: [0x10, 0, 0, 0, 0, 0, 0, 0],
                      augmentation: nil, instructions: [])
        let t = makeTable(ehFrame: b.bytes)
        #expect(try t.entry(for: 0x1000) == nil)
        #expect { try t.entry(at: f, in: t.ehFrame!) } throws: { ($0 as? CFIError)?.kind == .unknownAugmentation("xyz") }
    }

    @Test func unknownLetterAfterZIsSkipped() throws {
        var b = CFIBuilder()
        var o = CFIBuilder.CIEOptions()
        o.augmentation = "zRQ"  // Q is unknown; the length lets us skip
        let c = b.cie(o)
        b.fde(cie: c, pc: 0x1000, range: 0x10, instructions: CFA.defCFAOffset(32))
        b.terminate()
        let t = makeTable(ehFrame: b.bytes)
        do {
            #expect(try t.row(for: 0x1000)?.cfa == .registerOffset(register: 7, offset: 32))
        }
    }

    @Test func sixtyFourBitLengths() throws {
        var b = CFIBuilder()
        var o = CFIBuilder.CIEOptions()
        o.is64 = true
        let c = b.cie(o)
        var r = Bytes()
        r.u32(0x10)
        // 64-bit FDE: length 12 bytes, then 4-byte CIE pointer; pc_begin at +16.
        let fieldAddress = b.address + UInt64(b.data.count + 16)
        var begin = Bytes()
        begin.i32(Int32(0x3000 - Int64(fieldAddress)))
        b.fde(cie: c, pcBeginBytes: begin.b, pcRangeBytes: r.b, instructions: CFA.defCFAOffset(40), is64: true)
        b.terminate()
        let t = makeTable(ehFrame: b.bytes)
        do {
            let e = try #require(try t.entry(for: 0x3008))
            #expect(e.fde.pcBegin == 0x3000)
            #expect(try t.row(for: 0x3008)?.cfa == .registerOffset(register: 7, offset: 40))
        }
    }

    @Test func debugFrame32And64() throws {
        for is64 in [false, true] {
            var b = CFIBuilder()
            b.debugFrame = true
            var o = CFIBuilder.CIEOptions()
            o.augmentation = ""
            o.version = 4
            o.is64 = is64
            let c = b.cie(o)
            var begin = Bytes()
            begin.u64(0x6000)
            var range = Bytes()
            range.u64(0x80)
            b.fde(cie: c, pcBeginBytes: begin.b, pcRangeBytes: range.b, augmentation: nil,
                  instructions: CFA.advance(4) + CFA.defCFAOffset(16), is64: is64)
            var b2 = CFIBuilder()
            b2.debugFrame = true
            _ = b2  // only one section
            let t = makeTable(ehFrame: nil, debugFrame: b.bytes)
            do {
                #expect(try t.row(for: 0x6003)?.cfa == .registerOffset(register: 7, offset: 8), "64: \(is64)")
                #expect(try t.row(for: 0x6004)?.cfa == .registerOffset(register: 7, offset: 16), "64: \(is64)")
                #expect(try t.row(for: 0x6080) == nil)
            }
        }
    }

    @Test func scannedIndexWithoutHeader() throws {
        // Several FDEs out of order; lookup must find each and miss the gaps.
        var b = CFIBuilder()
        let c = b.cie()
        for (pc, off) in [(0x3000, 16), (0x1000, 24), (0x2000, 32)] as [(UInt64, UInt64)] {
            b.fde(cie: c, pc: pc, range: 0x100, instructions: CFA.defCFAOffset(off))
        }
        b.terminate()
        let t = makeTable(ehFrame: b.bytes)
        do {
            #expect(try t.row(for: 0x1080)?.cfa == .registerOffset(register: 7, offset: 24))
            #expect(try t.row(for: 0x2080)?.cfa == .registerOffset(register: 7, offset: 32))
            #expect(try t.row(for: 0x30ff)?.cfa == .registerOffset(register: 7, offset: 16))
            #expect(try t.row(for: 0x1100) == nil)
            #expect(try t.row(for: 0x0fff) == nil)
            var seen = 0
            #expect(t.forEachFDE(in: t.ehFrame!) { _ in seen += 1 } == nil)
            #expect(seen == 3)
        }
    }
}

/// Builds an .eh_frame_hdr for FDEs of a built .eh_frame.
func buildHeader(address: UInt64, ehFrameAddress: UInt64, entries: [(pc: UInt64, fdeOffset: Int)],
                 tableEncoding: UInt8 = 0x3b) -> [UInt8] {
    var h = Bytes()
    h.u8(1)
    h.u8(0x1b)  // eh_frame_ptr: pcrel sdata4
    h.u8(0x03)  // fde_count: udata4
    h.u8(tableEncoding)
    h.i32(Int32(Int64(ehFrameAddress) - Int64(address + 4)))
    h.u32(UInt32(entries.count))
    for e in entries.sorted(by: { $0.pc < $1.pc }) {
        let fdeAddress = ehFrameAddress + UInt64(e.fdeOffset)
        switch tableEncoding {
        case 0x3b:
            h.i32(Int32(Int64(e.pc) - Int64(address)))
            h.i32(Int32(Int64(fdeAddress) - Int64(address)))
        case 0x04:
            h.u64(e.pc)
            h.u64(fdeAddress)
        default:
            fatalError("test encoding")
        }
    }
    return h.b
}

@Suite struct EhFrameHeaderTests {
    func build(tableEncoding: UInt8) -> ([UInt8], [UInt8]) {
        var b = CFIBuilder()
        b.address = 0x2000
        let c = b.cie()
        var entries: [(UInt64, Int)] = []
        for i in 0..<50 {
            let pc = UInt64(0x10000 + i * 0x100)
            entries.append((pc, b.fde(cie: c, pc: pc, range: 0x80, instructions: CFA.defCFAOffset(UInt64(8 + i * 8)))))
        }
        b.terminate()
        return (b.bytes, buildHeader(address: 0x1000, ehFrameAddress: 0x2000, entries: entries, tableEncoding: tableEncoding))
    }

    @Test(arguments: [UInt8(0x3b), 0x04])
    func binarySearch(tableEncoding: UInt8) throws {
        let (eh, hdr) = build(tableEncoding: tableEncoding)
        let t = makeTable(ehFrame: eh, header: hdr)
        do {
            let h = try #require(t.header)
            #expect(t.headerError == nil)
            #expect(h.fdeCount == 50)
            #expect(h.ehFramePointer == 0x2000)
            for i in 0..<50 {
                let pc = FileAddress(UInt64(0x10000 + i * 0x100))
                #expect(try t.row(for: pc + 0x7f)?.cfa == .registerOffset(register: 7, offset: Int64(8 + i * 8)))
                #expect(try t.row(for: pc + 0x80) == nil)  // gap between FDEs
            }
            #expect(try t.row(for: 0xffff) == nil)
        }
    }

    @Test func badHeaderFallsBackToScanning() throws {
        var (eh, hdr) = build(tableEncoding: 0x3b)
        hdr[0] = 2  // version
        let t = makeTable(ehFrame: eh, header: hdr)
        do {
            #expect(t.header == nil)
            #expect(t.headerError?.kind == .headerVersion(2))
            #expect(try t.row(for: 0x10100)?.cfa == .registerOffset(register: 7, offset: 16))
        }
        // A count larger than the table is a bad length, not an overread.
        hdr[0] = 1
        hdr[8] = 0xff
        hdr[9] = 0xff
        let t2 = makeTable(ehFrame: eh, header: hdr)
        do {
            #expect(t2.header == nil)
            if case .badLength = t2.headerError?.kind {} else { Issue.record("expected badLength, got \(String(describing: t2.headerError))") }
        }
        // A variable-length table encoding cannot be searched.
        var h3 = hdr
        h3[8] = 50
        h3[9] = 0
        h3[3] = 0x01
        let t3 = makeTable(ehFrame: eh, header: h3)
        do { #expect(t3.headerError?.kind == .unsearchableTable(0x01)) }
    }
}
