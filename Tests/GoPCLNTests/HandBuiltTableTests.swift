import GoPCLN
import Testing

/// Hand-built tables: the layout as runtime/symtab.go describes it.
@Suite struct HandBuiltTableTests {
    /// A Go 1.18 pclntab with one function at text+0 (16 bytes) whose pcsp
    /// table says: 0 for 4 bytes, 24 for 8, 0 for 4; named `main.f.abi0`.
    static func table(pcsp: [UInt8] = [0x02, 0x04, 0x30, 0x08, 0x2f, 0x04, 0x00]) -> [UInt8] {
        var bytes: [UInt8] = []
        func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
        func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
        let header = 8 + 8 * 8
        let names = header, pctab = names + 16, functab = pctab + 16
        u32(0xffff_fff0); bytes += [0, 0, 1, 8]
        u64(1); u64(0); u64(0x40_1000)                 // nfunc, nfiles, textStart
        u64(UInt64(names)); u64(0); u64(0); u64(UInt64(pctab)); u64(UInt64(functab))
        bytes += Array("main.f.abi0".utf8) + [0]
        bytes += [UInt8](repeating: 0, count: names + 16 - bytes.count)
        bytes += [0] + pcsp                               // pctab: offset 0 means "none"
        bytes += [UInt8](repeating: 0, count: functab - bytes.count)
        // functab: (entryoff, funcoff) for the function and the end entry.
        u32(0); u32(16); u32(16); u32(0)
        // _func: entryOff, nameOff, args, deferreturn, pcsp, pcfile, pcln, npcdata, cuOffset, funcID, flag, _, nfuncdata
        u32(0); u32(0); u32(0); u32(0); u32(1); u32(0); u32(0); u32(0); u32(0); bytes += [0, 0, 0, 0]
        return bytes
    }

    @Test func readsTheFunctionItsNameAndItsSPDeltas() throws {
        let table = try GoPCLNTable(copying: Self.table())
        #expect(table.version == .go118)
        let function = try #require(table.function(containing: 0x40_1008))
        #expect(function.entry == 0x40_1000 && function.end == 0x40_1010)
        #expect(table.name(of: function) == "main.f.abi0")
        #expect(GoFunctionName.withoutABISuffix(table.name(of: function)!) == "main.f")
        let deltas = (0x40_1000..<0x40_1010).map { table.spDelta(of: function, at: UInt64($0)) }
        #expect(deltas == [0, 0, 0, 0] + [Int32?](repeating: 24, count: 8) + [0, 0, 0, 0])
        #expect(table.function(containing: 0x40_1010) == nil)
        #expect(table.function(containing: 0x40_0fff) == nil)
    }

    @Test func aPCSPTableThatEndsEarlyGivesNil() throws {
        // Ends (a zero value delta) after the first 4 bytes.
        let table = try GoPCLNTable(copying: Self.table(pcsp: [0x02, 0x04, 0x00]))
        let function = try #require(table.function(containing: 0x40_1000))
        #expect(table.spDelta(of: function, at: 0x40_1000) == 0)
        #expect(table.spDelta(of: function, at: 0x40_1004) == nil)
    }

    @Test func anEndlessVarintGivesNil() throws {
        let table = try GoPCLNTable(copying: Self.table(pcsp: [0x02, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]))
        let function = try #require(table.function(containing: 0x40_1000))
        #expect(table.spDelta(of: function, at: 0x40_1008) == nil)
    }

    @Test func aFunctionCountBeyondTheTableIsAnError() throws {
        var bytes = Self.table()
        bytes[8] = 0xff; bytes[9] = 0xff; bytes[10] = 0xff
        #expect(throws: GoPCLNError.self) { try GoPCLNTable(copying: bytes) }
    }

    @Test(arguments: [
        ("runtime.futex.abi0", "runtime.futex"),
        ("main.(*T).Run.abiinternal", "main.(*T).Run"),
        ("runtime.futex", "runtime.futex"),
        (".abi0", ".abi0"),
        ("main.abi0x", "main.abi0x"),
    ])
    func abiSuffixesAreLeftOff(raw: String, shown: String) {
        #expect(GoFunctionName.withoutABISuffix(raw) == shown)
    }
}
