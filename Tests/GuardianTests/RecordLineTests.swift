@testable import Guardian
import Testing

/// The text form of records: every record survives a round trip, and junk
/// of every kind is rejected whole.
@Suite struct RecordLineTests {
    static let records: [GuardianRecord] = [
        .patch(pid: 4242, startTime: 918_273, address: 0x5581_a2c0_1139, original: [0xF3, 0x0F, 0x1E, 0xFA], patched: [0xCC, 0x0F, 0x1E, 0xFA]),
        .scratch(pid: 1, startTime: 0, address: 0x7FFF_FFFF_F000, original: [0, 0, 0], patched: [0x90, 0xFF, 0x25]),
        .patch(pid: Int32.max, startTime: UInt64.max, address: UInt64.max - 1, original: [0xAB], patched: [0xCC]),
        .restored(pid: 7, address: 0),
        .restored(pid: 99, address: 0xDEAD_BEEF),
        .bye,
    ]

    @Test(arguments: records) func roundTrips(record: GuardianRecord) {
        #expect(GuardianRecord(line: record.line) == record, "\(record.line)")
    }

    @Test func theLineIsTheDocumentedOne() {
        #expect(Self.records[0].line == "patch 4242 918273 5581a2c01139 f30f1efa cc0f1efa")
        #expect(Self.records[3].line == "restored 7 0")
        #expect(GuardianRecord(line: "patch 4242 918273 5581A2C01139 F30F1EFA CC0F1EFA") == Self.records[0], "upper-case hex too")
    }

    static let junk: [String] = [
        "", " ", "bye ", " bye", "bye\r", "BYE", "byebye", "hello",
        "restored", "restored 7", "restored 7 0 0", "restored -7 10", "restored 0 10", "restored 7 0x10", "restored 7 g",
        "restored 2147483648 10", "restored 7 10000000000000000",
        "patch 1 2 3 cc", "patch 1 2 3 cc 90 00", "patch 1 2 3 cc  90", "patch  1 2 3 cc 90",
        "patch 1 2 3 c 9", "patch 1 2 3 ccc 909", "patch 1 2 3 cc 9090", "patch 1 2 3 - -", "patch 1 2 3 zz 90",
        "patch 1 -2 3 cc 90", "patch 1 18446744073709551616 3 cc 90", "patch 1 2 ffffffffffffffff cc 90",
        "patch 1 2 fffffffffffffffe cccc 9090", "patch 0 2 3 cc 90", "patch x 2 3 cc 90", "patch 1 2 3 cc 90\n",
        "scratch 1 2 3", "Patch 1 2 3 cc 90", "patch\t1 2 3 cc 90", "\u{0}patch 1 2 3 cc 90", "patché 1 2 3 cc 90",
    ]

    @Test(arguments: junk) func junkIsRejected(line: String) {
        #expect(GuardianRecord(line: line) == nil)
    }

    @Test func aRangeThatEndsAtTheTopOfMemoryIsStillOne() {
        #expect(GuardianRecord(line: "patch 1 2 ffffffffffffffff cc 90") == nil)
        #expect(GuardianRecord(line: "patch 1 2 fffffffffffffffe cc 90") != nil)
    }

    @Test func randomBytesNeverCrashTheParser() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("patchscrbye restored0123456789abcdefx- \n".utf8) + [0, 0xFF, 0xC3]
        var parsed = 0
        for _ in 0 ..< 20_000 {
            let count = Int.random(in: 0 ... 40, using: &generator)
            let bytes = (0 ..< count).map { _ in alphabet.randomElement(using: &generator)! }
            if let record = GuardianRecord(lineBytes: bytes[...]) {
                parsed += 1
                #expect(GuardianRecord(line: record.line) == record)
            }
        }
        // Mutations of real lines: whatever parses must re-encode to itself.
        for record in Self.records {
            let line = Array(record.line.utf8)
            for index in line.indices {
                var mutated = line
                mutated[index] = alphabet.randomElement(using: &generator)!
                if let reparsed = GuardianRecord(lineBytes: mutated[...]) {
                    parsed += 1
                    #expect(GuardianRecord(line: reparsed.line) == reparsed)
                }
            }
        }
        #expect(parsed > 0, "some mutations are records still")
    }
}

@Suite struct RecordLineReaderTests {
    @Test func linesSplitAcrossReadsAreJoined() {
        var reader = RecordLineReader(descriptor: -1)
        let text = Array("restored 7 10\nbye\n".utf8)
        #expect(reader.take(text[..<5]) == [])
        #expect(reader.take(text[5 ..< 16]) == [.restored(pid: 7, address: 0x10)])
        #expect(reader.take(text[16...]) == [.bye])
    }

    @Test func aLastLineWithoutItsNewlineIsNotARecord() {
        var reader = RecordLineReader(descriptor: -1)
        #expect(reader.take(Array("restored 7 10\nrestored 8 10".utf8)[...]) == [.restored(pid: 7, address: 0x10)])
    }

    @Test func anOverlongLineIsDroppedUpToItsNewline() {
        var reader = RecordLineReader(descriptor: -1)
        let long = [UInt8](repeating: UInt8(ascii: "a"), count: GuardianRecord.maximumLineLength / 3)
        for _ in 0 ..< 4 { #expect(reader.take(long[...]) == []) }
        // "restored 7 10" glued to the long line's end is part of it, not a record.
        #expect(reader.take(Array("restored 7 10\nrestored 8 10\n".utf8)[...]) == [.restored(pid: 8, address: 0x10)])
    }
}

@Suite struct GuardianTableTests {
    @Test func restoredRemovesPatchAndScratchAtThatAddressOnly() {
        var table = GuardianTable()
        table.apply(.patch(pid: 5, startTime: 1, address: 0x10, original: [1], patched: [0xCC]))
        table.apply(.scratch(pid: 5, startTime: 1, address: 0x10, original: [2], patched: [3]))
        table.apply(.patch(pid: 6, startTime: 1, address: 0x10, original: [1], patched: [0xCC]))
        table.apply(.patch(pid: 5, startTime: 1, address: 0x11, original: [1], patched: [0xCC]))
        table.apply(.restored(pid: 5, address: 0x10))
        #expect(table.patches.keys.sorted { ($0.pid, $0.address) < ($1.pid, $1.address) }
            == [.init(pid: 5, address: 0x11), .init(pid: 6, address: 0x10)])
        #expect(table.scratches.isEmpty)
        #expect(!table.saidBye)
        table.apply(.bye)
        #expect(table.saidBye)
    }

    @Test func aLaterPatchAtTheSamePlaceReplacesTheEarlier() {
        var table = GuardianTable()
        table.apply(.patch(pid: 5, startTime: 1, address: 0x10, original: [1], patched: [0xCC]))
        table.apply(.patch(pid: 5, startTime: 2, address: 0x10, original: [4], patched: [0xCC]))
        #expect(table.patches.values.map(\.original) == [[4]])
        #expect(GuardianTable.byProcess(table.patches).map(\.pid) == [5])
    }
}

@Suite struct ProcessStartTimeTests {
    @Test func field22IsCountedFromTheLastParenthesis() {
        let stat = "1234 (we) ird (name) S 1 1234 1234 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 3 0 987654 12345678 100\n"
        #expect(ProcessStartTime.parse(stat: Array(stat.utf8)[...]) == 987_654)
        #expect(ProcessStartTime.parse(stat: Array("1234 (x) S 1 2".utf8)[...]) == nil)
        #expect(ProcessStartTime.parse(stat: Array("garbage".utf8)[...]) == nil)
    }

    @Test func aLiveProcessHasTheStartTimeProcSays() {
        let pid = getpidForTest()
        #expect(ProcessStartTime.of(pid) != nil)
        #expect(ProcessStartTime.of(pid) == PatchedFixture.independentStartTime(pid))
        #expect(ProcessStartTime.of(Int32.max) == nil)
    }
}
