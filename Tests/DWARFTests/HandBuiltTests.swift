import Testing
@testable import DWARF
import ELF

/// Forms and entry kinds compilers rarely emit, in byte-exact sections: every
/// DW_RLE_* kind, strx/addrx/rnglistx with their bases, implicit_const,
/// indirect, data16, DW_AT_sibling, a 64-bit unit to skip, and a DWARF 5 line
/// table with line_strp/string/udata/data16 entry formats.
@Suite struct HandBuiltTests {
    static let image: [UInt8] = {
        var str = ByteWriter()
        let unitName = str.count; str.cString("unit.c")
        let compDir = str.count; str.cString("/src")
        let helperName = str.count; str.cString("helper")
        let outerLinkage = str.count; str.cString("_Z5outerv")

        let strOffsets = ByteWriter.unit { w in
            w.u16(5); w.u16(0)
            for offset in [unitName, compDir, helperName] { w.u32(UInt32(offset)) }
        }
        let addr = ByteWriter.unit { w in
            w.u16(5); w.u8(8); w.u8(0)
            for a: UInt64 in [0x1000, 0x2000, 0x5000, 0x5010] { w.u64(a) }
        }
        // Two lists behind an offset table; DW_AT_rnglists_base points past the 12-byte header.
        var lists = ByteWriter()
        let list0 = lists.count
        lists.u8(3); lists.uleb(0); lists.uleb(0x100)              // startx_length: [0x1000, 0x1100)
        lists.u8(1); lists.uleb(1)                                 // base_addressx: 0x2000
        lists.u8(4); lists.uleb(0); lists.uleb(0x10)               // offset_pair: [0x2000, 0x2010)
        lists.u8(6); lists.u64(0x3000); lists.u64(0x3010)          // start_end
        lists.u8(7); lists.u64(0x4000); lists.uleb(0x10)           // start_length
        lists.u8(2); lists.uleb(2); lists.uleb(3)                  // startx_endx: [0x5000, 0x5010)
        lists.u8(5); lists.u64(0x6000)                             // base_address
        lists.u8(4); lists.uleb(0); lists.uleb(0x10)               // [0x6000, 0x6010)
        lists.u8(0)
        let list1 = lists.count
        lists.u8(5); lists.u64(0x1000)
        lists.u8(4); lists.uleb(0x20); lists.uleb(0x30)
        lists.u8(4); lists.uleb(0x40); lists.uleb(0x48)
        lists.u8(0)
        let rnglists = ByteWriter.unit { w in
            w.u16(5); w.u8(8); w.u8(0); w.u32(2)
            w.u32(UInt32(8 + list0)); w.u32(UInt32(8 + list1))
            w.bytes += lists.bytes
        }

        var abbrev = ByteWriter()
        func declare(_ code: UInt64, _ tag: UInt64, children: Bool, _ attributes: [(UInt64, UInt64, Int64?)]) {
            abbrev.uleb(code); abbrev.uleb(tag); abbrev.u8(children ? 1 : 0)
            for (name, form, constant) in attributes {
                abbrev.uleb(name); abbrev.uleb(form)
                if let constant { abbrev.sleb(constant) }
            }
            abbrev.u8(0); abbrev.u8(0)
        }
        declare(1, 0x11, children: true, [(0x03, 0x25, nil), (0x1b, 0x25, nil), (0x72, 0x17, nil), (0x73, 0x17, nil),
                                          (0x74, 0x17, nil), (0x10, 0x17, nil), (0x11, 0x01, nil), (0x55, 0x23, nil)])
        declare(2, 0x2e, children: true, [(0x03, 0x08, nil), (0x6e, 0x0e, nil), (0x11, 0x1b, nil), (0x12, 0x06, nil)])
        declare(3, 0x1d, children: false, [(0x31, 0x13, nil), (0x55, 0x23, nil), (0x58, 0x21, 0), (0x59, 0x16, nil)])
        declare(4, 0x2e, children: false, [(0x03, 0x25, nil), (0x2001, 0x1e, nil), (0x3f, 0x19, nil)])
        declare(5, 0x13, children: true, [(0x01, 0x13, nil), (0x03, 0x08, nil)])
        declare(6, 0x0d, children: false, [(0x03, 0x08, nil), (0x38, 0x18, nil)])
        abbrev.u8(0)

        // A 64-bit unit first: skipped whole.
        var info = ByteWriter()
        info.u32(0xffff_ffff); info.u64(16); info.bytes += Array(repeating: 0xab, count: 16)
        let body = ByteWriter.unit { w in
            w.u16(5); w.u8(1); w.u8(8); w.u32(0)
            w.uleb(1); w.u8(0); w.u8(1); w.u32(8); w.u32(8); w.u32(12); w.u32(0); w.u64(0); w.uleb(0)
            let helper = w.count + 4
            w.uleb(4); w.u8(2); w.bytes += Array(repeating: 0x5a, count: 16)
            w.uleb(5); let sibling = w.placeholder32(); w.cString("point")
            w.uleb(6); w.cString("x"); w.uleb(2); w.u8(0x23); w.u8(0)   // exprloc of 2 bytes
            w.u8(0)
            w.patch32(at: sibling, UInt32(w.count + 4))
            w.uleb(2); w.cString("outer"); w.u32(UInt32(outerLinkage)); w.uleb(0); w.u32(0x100)
            w.uleb(3); w.u32(UInt32(helper)); w.uleb(1); w.uleb(0x0f); w.uleb(42)   // call_line through DW_FORM_indirect → udata
            w.u8(0)
            w.u8(0)
        }
        info.bytes += body

        var lineStr = ByteWriter()
        let dirSrc = lineStr.count; lineStr.cString("/src")
        let dirInclude = lineStr.count; lineStr.cString("include")
        let line = ByteWriter.unit { w in
            w.u16(5); w.u8(8); w.u8(0)
            let headerLength = w.placeholder32()
            let headerStart = w.count
            w.u8(1); w.u8(1); w.u8(1); w.i8(-5); w.u8(14); w.u8(13)
            w.bytes += [0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1]
            w.u8(1); w.uleb(1); w.uleb(0x1f)
            w.uleb(2); w.u32(UInt32(dirSrc)); w.u32(UInt32(dirInclude))
            w.u8(3); w.uleb(1); w.uleb(0x08); w.uleb(2); w.uleb(0x0f); w.uleb(5); w.uleb(0x1e)
            w.uleb(2)
            w.cString("unit.c"); w.uleb(0); w.bytes += Array(repeating: 1, count: 16)
            w.cString("helper.h"); w.uleb(1); w.bytes += Array(repeating: 2, count: 16)
            w.patch32(at: headerLength, UInt32(w.count - headerStart))
            w.u8(0); w.uleb(9); w.u8(2); w.u64(0x1000)          // set_address
            w.u8(4); w.uleb(0)                                  // set_file 0
            w.u8(3); w.sleb(9); w.u8(1)                         // line 10, copy: 0x1000
            w.u8(2); w.uleb(0x20); w.u8(4); w.uleb(1)           // 0x1020, helper.h
            w.u8(3); w.sleb(-5); w.u8(1)                        // line 5
            w.u8(8); w.u8(9); w.u16(0x0f)                       // const_add_pc (17) + 15: 0x1040
            w.u8(3); w.sleb(1); w.u8(6); w.u8(1)                // line 6, not a statement
            w.u8(6); w.u8(130)                                  // statement again; special: +8, +0: 0x1048
            w.u8(4); w.uleb(0); w.u8(3); w.sleb(14); w.u8(242)  // unit.c:20 at 0x1058
            w.u8(0); w.uleb(2); w.u8(4); w.uleb(3)              // set_discriminator
            w.u8(0); w.uleb(3); w.u8(0x80); w.u8(1); w.u8(2)    // unknown extended opcode
            w.u8(5); w.uleb(7)                                  // set_column
            w.u8(2); w.uleb(0xa8); w.u8(0); w.uleb(1); w.u8(1)  // end_sequence at 0x1100
            w.u8(0); w.uleb(9); w.u8(2); w.u64(0x3000); w.u8(1) // helper.h:1 at 0x3000
            w.u8(2); w.uleb(0x10); w.u8(0); w.uleb(1); w.u8(1)
        }

        return makeELF(sections: [(".debug_info", info.bytes), (".debug_abbrev", abbrev.bytes), (".debug_str", str.bytes),
                                  (".debug_str_offsets", strOffsets), (".debug_addr", addr), (".debug_rnglists", rnglists),
                                  (".debug_line", line), (".debug_line_str", lineStr.bytes)])
    }()

    @Test func everyRangeListKindCoversItsUnit() throws {
        let info = try #require(DebugInfo(elf: try ELFFile(bytes: Self.image)))
        for address: UInt64 in [0x1000, 0x10ff, 0x2000, 0x200f, 0x3008, 0x400f, 0x5000, 0x600f] {
            #expect(info.unit(covering: address)?.name == "unit.c", "\(hex(address))")
            #expect(info.unit(covering: address)?.compDir == "/src")
        }
        for address: UInt64 in [0xfff, 0x1100, 0x2010, 0x3010, 0x5010, 0x6010] {
            #expect(info.unit(covering: address) == nil, "\(hex(address))")
        }
    }

    @Test func lineTableRows() throws {
        let info = try #require(DebugInfo(elf: try ELFFile(bytes: Self.image)))
        let expected: [(FileAddress, String, Int)] = [
            (0x1000, "/src/unit.c", 10), (0x101f, "/src/unit.c", 10),
            (0x1020, "/src/include/helper.h", 5), (0x1044, "/src/include/helper.h", 6),
            (0x1048, "/src/include/helper.h", 6), (0x1058, "/src/unit.c", 20), (0x10ff, "/src/unit.c", 20),
            (0x3000, "/src/include/helper.h", 1), (0x300f, "/src/include/helper.h", 1),
        ]
        for (address, file, line) in expected {
            #expect(info.location(at: address) == SourceLocation(file: file, line: line), "\(hex(address))")
        }
        #expect(info.location(at: 0x1100) == nil)
        #expect(info.location(at: 0x3010) == nil)
        #expect(info.location(at: 0x2004) == nil)
    }

    @Test func inlinedFrameWithIndexedRangesAndImplicitCallFile() throws {
        let info = try #require(DebugInfo(elf: try ELFFile(bytes: Self.image)))
        let helper = SourceFrame(function: "helper", location: SourceLocation(file: "/src/include/helper.h", line: 5), isInline: true)
        let outer = SourceFrame(function: "_Z5outerv", location: SourceLocation(file: "/src/unit.c", line: 42), isInline: false)
        #expect(info.frames(at: 0x1024) == [helper, outer])
        #expect(info.frames(at: 0x1044).map(\.isInline) == [true, false])
        #expect(info.frames(at: 0x1048) == [SourceFrame(function: "_Z5outerv", location: SourceLocation(file: "/src/include/helper.h", line: 6), isInline: false)])
        #expect(info.frames(at: 0x1000).count == 1)
        // Covered by the unit but by no function and no line: nothing.
        #expect(info.frames(at: 0x2004).isEmpty)
    }
}
