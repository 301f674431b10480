import FrameFormatting
import InspectorFeed
import Testing

/// The one frame formatter, in the three forms lwpscope prints.
@Suite struct FrameTextTests {
    let named = FrameText(index: 0, pc: 0x7f90_770e_d545, function: "clock_nanosleep", offset: 0x65,
                          module: "/usr/lib/x86_64-linux-gnu/libc.so.6", file: "/build/glibc/nanosleep.c", line: 25)
    let inlined = FrameText(index: 1, pc: 0x55ca_c88b_a2a5, function: "parse_line", offset: 0x35,
                            module: "/usr/bin/server", file: "/src/parse.h", line: 31, isInline: true)
    let unnamed = FrameText(index: 2, pc: 0x55ca_c88b_b2b9, function: nil, offset: 0x32b9, module: "/usr/bin/server")
    let nowhere = FrameText(index: 3, pc: 0xdead_beef, function: nil, offset: 0xdead_beef, module: nil)

    func dump(_ frame: FrameText) -> String { frame.text(indexColumns: 4, pcDigits: 16, paths: .full) }
    func pane(_ frame: FrameText) -> String { frame.text(indexColumns: 3, pcDigits: 12, paths: .fileName) }

    @Test func dumpLinesHaveWholePathsAndA16DigitPC() {
        #expect(dump(named) == "#0  0x00007f90770ed545 clock_nanosleep+0x65 (/usr/lib/x86_64-linux-gnu/libc.so.6) at /build/glibc/nanosleep.c:25")
        #expect(dump(inlined) == "#1  0x000055cac88ba2a5 inline parse_line (/usr/bin/server) at /src/parse.h:31")
        #expect(dump(unnamed) == "#2  0x000055cac88bb2b9 server+0x32b9 (/usr/bin/server)")
        #expect(dump(nowhere) == "#3  0x00000000deadbeef ??")
    }

    @Test func aThreeDigitIndexRunsIntoThePCAsDumpAlwaysPrintedIt() {
        var deep = nowhere
        deep.index = 100
        #expect(dump(deep) == "#1000x00000000deadbeef ??")
    }

    @Test func paneLinesUseFileNamesAndDoNotRepeatTheModuleOfAnUnnamedFrame() {
        #expect(pane(named) == "#0 0x7f90770ed545 clock_nanosleep+0x65 (libc.so.6) at nanosleep.c:25")
        #expect(pane(inlined) == "#1 0x55cac88ba2a5 inline parse_line (server) at parse.h:31")
        #expect(pane(unnamed) == "#2 0x55cac88bb2b9 server+0x32b9")
        #expect(pane(nowhere) == "#3 0x0000deadbeef ??")
    }

    @Test func spansSayWhatIsTheNameAndWhatIsDetail() {
        let spans = inlined.spans(indexColumns: 3, pcDigits: 12, paths: .fileName)
        #expect(spans.map(\.role) == [.position, .detail, .name, .detail, .detail])
        #expect(spans.map(\.text) == ["#1 0x55cac88ba2a5 ", "inline ", "parse_line", " (server)", " at parse.h:31"])
    }

    @Test func labelsAreTheFunctionAloneOrWhereThePCIs() {
        #expect(named.label == "clock_nanosleep")
        #expect(inlined.label == "parse_line")
        #expect(unnamed.label == "server+0x32b9")
        #expect(nowhere.label == "??")
    }

    @Test func symbolizedFramesConvertFieldForField() {
        let frame = Values.frame(4, pc: 0x1234, "f", offset: 0x34, file: "/src/f.c", line: 7, inline: true)
        #expect(frame.text == FrameText(index: 4, pc: 0x1234, function: "f", offset: 0x34, module: Values.server,
                                        file: "/src/f.c", line: 7, isInline: true))
    }
}
