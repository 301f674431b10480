import Testing
@testable import DWARF
import Unwind

/// Values in gdb's words, from their bits and types.
@Suite struct ArgumentValueTextTests {
    static let memory = SnapshotMemory(base: 0x1000, bytes: Array("hello\n\"q\"\0".utf8) + [UInt8](repeating: UInt8(ascii: "z"), count: 15) + [0]
                                        + [UInt8](repeating: UInt8(ascii: "a"), count: 300))
    let text = ArgumentValueText(memory: Self.memory, registers: UnwindRegisters())

    @Test func scalars() {
        let int = ArgumentType.base(name: "int", encoding: DWBaseEncoding.signed, size: 4)
        #expect(text.text(value: 0xffff_fff6, type: int) == "-10")
        #expect(text.text(value: 65535, type: .base(name: "short unsigned int", encoding: DWBaseEncoding.unsigned, size: 2)) == "65535")
        let char = ArgumentType.base(name: "char", encoding: DWBaseEncoding.signedChar, size: 1)
        #expect(text.text(value: 65, type: char) == "65 'A'")
        #expect(text.text(value: 0, type: char) == "0 '\\000'")
        #expect(text.text(value: 10, type: char) == "10 '\\n'")
        #expect(text.text(value: 0xff, type: char) == "-1 '\\377'")
        #expect(text.text(value: 39, type: char) == "39 '\\''")
        let bool = ArgumentType.base(name: "_Bool", encoding: DWBaseEncoding.boolean, size: 1)
        #expect(text.text(value: 1, type: bool) == "true" && text.text(value: 0, type: bool) == "false")
        let double = ArgumentType.base(name: "double", encoding: DWBaseEncoding.float, size: 8)
        #expect(text.text(value: 1.5.bitPattern, type: double) == "1.5")
        #expect(text.text(value: 0.1.bitPattern, type: double) == "0.10000000000000001")
        #expect(text.text(value: UInt64(Float(0.1).bitPattern), type: .base(name: "float", encoding: DWBaseEncoding.float, size: 4))
                    == "0.100000001")
        let color = ArgumentType.enumeration(name: "color", size: 4, enumerators: [.init(name: "RED", value: 0), .init(name: "BLUE", value: 7)])
        #expect(text.text(value: 7, type: color) == "BLUE" && text.text(value: 3, type: color) == "3")
        #expect(text.text(value: 0, type: .typedef("size_t", .base(name: "long unsigned int", encoding: DWBaseEncoding.unsigned, size: 8))) == "0")
    }

    @Test func pointersAndStrings() {
        let char = ArgumentType.base(name: "char", encoding: DWBaseEncoding.signedChar, size: 1)
        let string = ArgumentType.pointer(to: .qualified("const", char), size: 8)
        #expect(string.gdbName == "const char *")
        #expect(text.text(value: 0x1000, type: string) == "0x1000 \"hello\\n\\\"q\\\"\"")
        #expect(text.text(value: 0, type: string) == "0x0")
        // gdb folds runs longer than ten.
        #expect(text.text(value: 0x100a, type: string) == "0x100a 'z' <repeats 15 times>")
        // At most gdb's 200 characters are read, then `...` (gdb counts a folded
        // run as fewer elements and may print more of it).
        #expect(text.text(value: 0x101a, type: string) == "0x101a 'a' <repeats 200 times>...")
        #expect(text.text(value: 0x9000, type: string) == "0x9000 <error: Cannot access memory at address 0x9000>")
        #expect(text.text(value: 0x55d0, type: .pointer(to: nil, size: 8)) == "0x55d0")
        #expect(ArgumentType.pointer(to: .aggregate(keyword: "struct", name: "point", size: 16), size: 8).gdbName == "struct point *")
    }
}
