import Testing
@testable import DWARF
import ELF
import TestSupport
import Unwind

/// Parameters from byte-exact DWARF 5: a function `f(int a, char *p, char c,
/// enum e k)` whose `a` lives in a .debug_loclists list (offset_pair, a
/// location view, start_length, default location), `p` at DW_OP_fbreg, `c` a
/// DW_AT_const_value and `k` in rbx; then the same sections cut short and
/// scrambled, which must never trap.
@Suite struct HandBuiltArgumentTests {
    static func image(loclists overrideLists: [UInt8]? = nil, info overrideInfo: [UInt8]? = nil) -> [UInt8] {
        var lists = ByteWriter()
        lists.u8(4); lists.uleb(0); lists.uleb(0x10); lists.uleb(1); lists.u8(0x55)        // [0x1000, 0x1010): rdi
        lists.u8(9); lists.uleb(1); lists.uleb(2)                                          // a view pair, ignored
        lists.u8(8); lists.u64(0x1010); lists.uleb(0x10); lists.uleb(2); lists.u8(0x37); lists.u8(0x9f)  // lit7, stack_value
        lists.u8(5); lists.uleb(1); lists.u8(0x5c)                                         // default: r12
        lists.u8(0)
        let loclists = ByteWriter.unit { w in
            w.u16(5); w.u8(8); w.u8(0); w.u32(1)
            w.u32(4)  // the list, after the one offset
            w.bytes += lists.bytes
        }

        var abbrev = ByteWriter()
        func declare(_ code: UInt64, _ tag: UInt64, children: Bool, _ attributes: [(UInt64, UInt64)]) {
            abbrev.uleb(code); abbrev.uleb(tag); abbrev.u8(children ? 1 : 0)
            for (name, form) in attributes { abbrev.uleb(name); abbrev.uleb(form) }
            abbrev.u8(0); abbrev.u8(0)
        }
        // compile unit: name, low_pc, high_pc, loclists_base
        declare(1, 0x11, children: true, [(0x03, 0x08), (0x11, 0x01), (0x12, 0x06), (0x8c, 0x17)])
        // subprogram: name, low_pc, high_pc, frame_base
        declare(2, 0x2e, children: true, [(0x03, 0x08), (0x11, 0x01), (0x12, 0x06), (0x40, 0x18)])
        // parameter with a location (loclistx or exprloc), and one with a constant
        declare(3, 0x05, children: false, [(0x03, 0x08), (0x49, 0x13), (0x02, 0x22)])
        declare(4, 0x05, children: false, [(0x03, 0x08), (0x49, 0x13), (0x02, 0x18)])
        declare(5, 0x05, children: false, [(0x03, 0x08), (0x49, 0x13), (0x1c, 0x0b)])
        declare(6, 0x24, children: false, [(0x03, 0x08), (0x0b, 0x0b), (0x3e, 0x0b)])
        declare(7, 0x0f, children: false, [(0x0b, 0x0b), (0x49, 0x13)])
        declare(8, 0x04, children: true, [(0x03, 0x08), (0x0b, 0x0b)])
        declare(9, 0x28, children: false, [(0x03, 0x08), (0x1c, 0x0d)])
        abbrev.u8(0)

        var info = ByteWriter()
        let lengthAt = info.placeholder32()
        info.u16(5); info.u8(1); info.u8(8); info.u32(0)
        info.uleb(1); info.cString("unit.c"); info.u64(0x1000); info.u32(0x100); info.u32(12)
        // Types first so their offsets are known: patched below.
        let intAt = info.count
        info.uleb(6); info.cString("int"); info.u8(4); info.u8(5)
        let charAt = info.count
        info.uleb(6); info.cString("char"); info.u8(1); info.u8(6)
        let pointerAt = info.count
        info.uleb(7); info.u8(8); info.u32(UInt32(charAt))
        let enumAt = info.count
        info.uleb(8); info.cString("e"); info.u8(4)
        info.uleb(9); info.cString("ONE"); info.sleb(1)
        info.uleb(9); info.cString("TWO"); info.sleb(2)
        info.u8(0)
        info.uleb(2); info.cString("f"); info.u64(0x1000); info.u32(0x100); info.uleb(1); info.u8(0x9c)
        info.uleb(3); info.cString("a"); info.u32(UInt32(intAt)); info.uleb(0)
        info.uleb(4); info.cString("p"); info.u32(UInt32(pointerAt)); info.uleb(2); info.u8(0x91); info.sleb(-16)
        info.uleb(5); info.cString("c"); info.u32(UInt32(charAt)); info.u8(65)
        info.uleb(4); info.cString("k"); info.u32(UInt32(enumAt)); info.uleb(1); info.u8(0x53)
        info.u8(0)
        info.u8(0)
        info.patch32(at: lengthAt, UInt32(info.count - 4))

        return makeELF(sections: [(".debug_info", overrideInfo ?? info.bytes), (".debug_abbrev", abbrev.bytes),
                                  (".debug_loclists", overrideLists ?? loclists)])
    }

    static func sections(_ image: [UInt8]) -> (info: [UInt8], loclists: [UInt8]) {
        let file = try! ELFFile(bytes: image)
        func bytes(_ name: String) -> [UInt8] { Array(try! file.data(of: file.section(named: name)!)) }
        return (bytes(".debug_info"), bytes(".debug_loclists"))
    }

    /// A stack where the frame base (CFA 0x7010) - 16 holds a pointer to "hi".
    static func frame(rbx: UInt64? = 2) -> ArgumentFrame {
        var bytes = [UInt8](repeating: 0, count: 64)
        withUnsafeBytes(of: UInt64(0x7020).littleEndian) { for (i, b) in $0.enumerated() { bytes[i] = b } }
        bytes[0x20] = UInt8(ascii: "h"); bytes[0x21] = UInt8(ascii: "i")
        var registers = UnwindRegisters.x86_64(rip: 0x1004, rsp: 0x7000, rbx: rbx)
        registers[5] = 0xffff_fff6  // a = -10 in edi
        return ArgumentFrame(registers: registers, cfa: 0x7010, memory: SnapshotMemory(base: 0x7000, bytes: bytes))
    }

    static func arguments(_ image: [UInt8], pc: UInt64, frame: ArgumentFrame = frame()) -> [FrameArgument]? {
        guard let file = try? ELFFile(bytes: image), let info = DebugInfo(elf: file),
              let scope = info.frames(at: FileAddress(pc)).last?.scope else { return nil }
        return info.arguments(of: scope, pc: FileAddress(pc), bias: 0, frame: frame, withEntryValues: true)
    }

    @Test func parametersAsGDBPrintsThem() throws {
        let image = Self.image()
        let atStart = try #require(Self.arguments(image, pc: 0x1004))
        #expect(atStart.map(\.gdbText) == ["a=-10", "p=0x7020 \"hi\"", "c=65 'A'", "k=TWO"])
        #expect(atStart.map(\.type) == ["int", "char *", "char", "enum e"])
        let later = try #require(Self.arguments(image, pc: 0x1014))
        #expect(later.first?.value == "7")
        // The default location is r12, which this frame does not know. ONE
        // and TWO are disjoint bits: gdb's flag enum, 9 is ONE and an unknown bit.
        let elsewhere = try #require(Self.arguments(image, pc: 0x1050, frame: Self.frame(rbx: 9)))
        #expect(elsewhere.map(\.value) == ["<optimized out>", "0x7020 \"hi\"", "65 'A'", "(ONE | unknown: 0x8)"])
        let noRBX = try #require(Self.arguments(image, pc: 0x1050, frame: Self.frame(rbx: nil)))
        #expect(noRBX.last?.value == "<optimized out>")
    }

    @Test func damagedLocationListsAndDIEsNeverTrap() throws {
        let (info, loclists) = Self.sections(Self.image())
        for cut in 0 ..< loclists.count {
            _ = Self.arguments(Self.image(loclists: Array(loclists.prefix(cut))), pc: 0x1050)
        }
        for cut in stride(from: 0, to: info.count, by: 3) {
            _ = Self.arguments(Self.image(info: Array(info.prefix(cut))), pc: 0x1004)
        }
        var random = SplitMix64(seed: 1818)
        for _ in 0 ..< 300 {
            var lists = loclists, dies = info
            for _ in 0 ..< 3 {
                lists[Int(random.next() % UInt64(lists.count))] = UInt8(truncatingIfNeeded: random.next())
                dies[Int(random.next() % UInt64(dies.count))] = UInt8(truncatingIfNeeded: random.next())
            }
            _ = Self.arguments(Self.image(loclists: lists), pc: 0x1050)
            _ = Self.arguments(Self.image(loclists: lists, info: dies), pc: 0x1014)
        }
        // An unknown entry kind ends the list: no location, not a guess.
        var unknown = loclists
        unknown[16] = 0x7f
        #expect(Self.arguments(Self.image(loclists: unknown), pc: 0x1004)?.first?.value == "<optimized out>")
    }
}
