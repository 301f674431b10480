import Testing
@testable import Inspector

/// The overlays and a long message fit at every size, and draw only ASCII
/// when the terminal can show nothing else.
@Suite struct OverlayBoundsTests {
    static func states(_ capabilities: Capabilities) -> [InspectorState] {
        var log = Fixtures.mainState(capabilities: capabilities, selecting: 4245)
        log.appendLog(OverlayKeyTests.entries(30) + [
            EventLogEntry(time: "14:01:00", kind: .signal, text: String(repeating: "SIGUSR1 passed on to 4243; ", count: 6)),
        ])
        _ = log.handle(.character("l"))
        var help = Fixtures.mainState(capabilities: capabilities)
        _ = help.handle(.character("?"))
        _ = help.handle(.end)
        var pickerHelp = PickerFixtures.state(capabilities: capabilities)
        _ = pickerHelp.handle(.function(1))
        _ = pickerHelp.handle(.pageDown)
        var message = Fixtures.mainState(capabilities: capabilities)
        message.showMessage(MessageLineTests.long)
        var pickerMessage = PickerFixtures.state(capabilities: capabilities)
        pickerMessage.showMessage(MessageLineTests.long)
        var logWithMessage = PickerFixtures.state(capabilities: capabilities)
        _ = logWithMessage.handle(.character("l"))
        logWithMessage.showMessage(MessageLineTests.long)
        return [log, help, pickerHelp, message, pickerMessage, logWithMessage]
    }

    @Test func everySizeFrom20x5Fits() {
        for var state in Self.states(Capabilities()) {
            for width in stride(from: 20, through: 130, by: 3) {
                for height in stride(from: 5, through: 44, by: 3) {
                    let grid = state.render(width: width, height: height)
                    RenderBoundsTests.expectFits(grid)
                    if state.screen == .main, state.overlay == nil {
                        RenderBoundsTests.expectIntactBorders(grid, of: state)
                    }
                }
            }
        }
    }

    @Test func asciiOnlyWithoutUnicode() {
        for var state in Self.states(Capabilities(unicode: false, colors: false)) {
            for (width, height) in [(80, 24), (120, 40), (45, 12)] {
                let text = state.render(width: width, height: height).textDump()
                #expect(text.unicodeScalars.allSatisfy { $0.isASCII }, "\(text)")
            }
        }
    }
}
