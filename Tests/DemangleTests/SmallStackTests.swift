import Foundation
import Testing
@testable import Demangle

/// Hostile nesting at the longest accepted lengths must not overflow a thread
/// stack much smaller than the 8 MiB default (the runtime demanglers hop to a
/// big-stack helper thread; ours is depth-bounded). 512 KiB rather than less
/// because Swift Testing records a backtrace on every `throw`, which the v0
/// demangler does at its depth limit. A failure here kills the test process,
/// which is as loud as it needs to be.
@Suite struct SmallStackTests {
    static let stackBytes = 512 * 1024

    /// Nested names, each with a piece its readable form must contain, or nil
    /// when the name is refused and must come back unchanged.
    static let hostileNames: [(symbol: String, excerpt: String?)] = {
        let swiftDepth = (SwiftDemangler.maxInputBytes - 8) / 2
        let optionals = "$sSi" + String(repeating: "Sg", count: swiftDepth) + "D"
        let arrays = "$s" + String(repeating: "Say", count: 1000) + "Si" + String(repeating: "G", count: 1000) + "D"
        // libstdc++ itself gives up somewhere below 300 nested templates.
        let templates = "_Z1fI" + String(repeating: "1AI", count: 250) + "i"
            + String(repeating: "E", count: 250) + "Evv"
        let pointers = "_Z1f" + String(repeating: "P", count: ItaniumDemangler.maxInputBytes - 5) + "i"
        let references = "_RINvCs1_1a1f" + String(repeating: "R", count: 100_000) + "hEC1a"
        let tuples = "_RINvCs1_1a1f" + String(repeating: "T", count: 100_000) + "hEC1a"
        return [
            (optionals, "???"), (arrays, "[[["), (templates, "void f<A<A<"),
            (pointers, nil), (references, nil), (tuples, nil),
        ]
    }()

    @Test func hostileNestingOnASmallStack() {
        let names = Self.hostileNames
        let box = ResultBox()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            box.values = names.map { Demangler.demangleUncached($0.symbol) }
            done.signal()
        }
        thread.stackSize = Self.stackBytes
        thread.start()
        done.wait()

        try? #require(box.values.count == names.count)
        for (name, result) in zip(names, box.values) {
            if let excerpt = name.excerpt {
                // The Swift runtime may abbreviate as `<<too complex>>???...`.
                #expect(result.contains(excerpt), "\(name.symbol.prefix(40))… gave \(result.prefix(40))…")
            } else {
                #expect(result == name.symbol)
            }
        }
    }

    private final class ResultBox: @unchecked Sendable {
        var values: [String] = []  // Written by the thread before it signals.
    }
}
